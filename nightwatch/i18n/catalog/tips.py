"""The tips area's messages: posting, the life cycle in plain words, photos, logging for someone."""

# key: (zh-CN, English)
MESSAGES: dict[str, tuple[str, str]] = {
    # the /tip page
    "tips.category": ("什么事?", "What is it?"),
    "tips.urgency": ("有多急?", "How urgent?"),
    "tips.text": ("简单说明", "In a few words"),
    "tips.text_hint": ("例如:两人在店门口争吵,有推搡", "e.g. two people arguing outside, some pushing"),
    "tips.where": ("在哪里?", "Where?"),
    "tips.where.shop": ("本店位置", "My shop"),
    "tips.where.map": ("地图选点", "Pick on map"),
    "tips.where.address": ("地址", "Address"),
    "tips.where_at": ("位置:{label}", "Location: {label}"),
    "tips.pick_hint": ("点地图上的一个点(本店和附近地点)", "Tap a spot on the map (your shop and places nearby)"),
    "tips.address": ("地址或地名", "Address or place name"),
    "tips.find": ("查找", "Find"),
    "tips.found": ("找到:{label}", "Found: {label}"),
    "tips.anonymous": ("对志愿者匿名", "Anonymous to volunteers"),
    "tips.anonymous_help": (
        "只有协调员能看到是谁报的", "Only coordinators can see who reported it"),
    "tips.photo": ("照片(可选)", "Photo (optional)"),
    "tips.camera": ("现场拍照", "Take a photo"),
    "tips.photo_help": (
        "最大 5 MB;保存前会去除位置等信息", "Up to 5 MB; location and other metadata are removed before saving"),
    "tips.send": ("发送线索", "Send tip"),
    "tips.sent": ("线索已发送,编号 {id}", "Tip sent, number {id}"),
    "tips.pick_category": ("请先选择是什么事", "Choose what it is first"),
    "tips.similar": ("附近 15 分钟内已有类似线索", "Similar tips nearby in the last 15 minutes"),
    "tips.similar_hint": (
        "如果是同一件事,补充到已有线索即可,不用重复发送",
        "If it is the same thing, add to the existing tip instead of sending another"),
    "tips.similar_row": ("{category} · {status} · {minutes} 分钟前 · {metres} 米", "{category} · {status} · {minutes} min ago · {metres} m"),
    "tips.yours_already": ("您已报过这条", "You sent this one"),
    "tips.add_here": ("补充到这条", "Add to this one"),
    "tips.added": ("已补充到线索 {id},有进展会告诉您", "Added to tip {id}; you will see its progress"),
    "tips.mine": ("我的线索", "My tips"),
    "tips.none_yet": ("还没有线索", "No tips yet"),
    "tips.following": ("补充的线索", "Added to"),
    "tips.merged_into": ("已并入线索 {id}", "Merged into tip {id}"),
    "tips.anonymous_badge": ("匿名", "Anonymous"),
    "tips.no_shop_page": ("此账号未关联店铺,请联系协调员", "This account has no shop; ask your coordinator"),
    # the life cycle, in plain words
    "tips.step.received": ("收到线索", "Tip received"),
    "tips.step.dispatched": ("已派最近的巡逻力量", "Nearest patrol sent"),
    "tips.step.acknowledged": ("巡逻人员已接单", "Patrol acknowledged"),
    "tips.step.on_scene": ("巡逻人员已到场", "Patrol on scene"),
    "tips.step.closed": ("已处理完毕", "Dealt with"),
    "tips.step.referred": ("已移交110", "Handed to 110"),
    "tips.step.merged": ("与同一事件的线索合并", "Merged with a tip about the same thing"),
    "tips.cannot.naive_time": ("时间缺少时区", "The time has no time zone"),
    "tips.cannot.before_previous_step": ("时间早于上一步", "That time is before the previous step"),
    "tips.cannot.close_without_outcome": ("办结需要填写处理结果", "Closing needs an outcome"),
    # refusals from the services and the photo check
    "tips.text_too_long": ("说明最多 {limit} 字", "At most {limit} characters"),
    "tips.where_unknown": ("位置来源不对", "Unknown kind of location"),
    "tips.where_missing": ("请先选好位置", "Choose a location first"),
    "tips.where_too_far": ("所选位置离本店超过 {metres} 米", "That place is more than {metres} m from your shop"),
    "tips.no_shop": ("此账号未关联店铺", "This account has no shop"),
    "tips.shop_not_located": ("本店还没有位置,请在地图上选点", "Your shop has no location yet; pick one on the map"),
    "tips.bad_key": ("表单已失效,请刷新后再发", "The form expired; reload and send again"),
    "tips.key_taken": ("表单已失效,请刷新后再发", "The form expired; reload and send again"),
    "tips.not_yours": ("这条线索不是您报的", "That tip is not yours"),
    "tips.not_open": ("这条线索已结束,请发新线索", "That tip has ended; send a new one"),
    "tips.too_old_to_add": ("这条线索已超过 15 分钟,请发新线索", "That tip is over 15 minutes old; send a new one"),
    "tips.already_yours": ("这是您自己报的线索", "That is your own tip"),
    "tips.no_district": ("没有这个片区", "No such district"),
    "tips.caller_name_too_long": ("姓名最多 {limit} 字", "At most {limit} characters for the name"),
    "tips.caller_phone_invalid": ("电话号码格式不对", "That is not a phone number"),
    "photos.empty": ("照片是空的", "The photo is empty"),
    "photos.too_big": ("照片超过 5 MB", "The photo is over 5 MB"),
    "photos.too_many_pixels": ("照片像素太多", "The photo has too many pixels"),
    "photos.not_an_image": ("这不是一张照片", "That is not a photo"),
    "photos.wrong_type": ("只收 JPEG、PNG 或 WebP 照片", "Only JPEG, PNG or WebP photos"),
    # logging a tip for someone (coordinators, duty posts)
    "tips.log_title": ("代报线索", "Log a tip for someone"),
    "tips.log_source": ("来源", "Came by"),
    "tips.caller_name": ("来电/来访人(可选)", "Caller (optional)"),
    "tips.caller_phone": ("联系电话(可选)", "Contact phone (optional)"),
    "tips.caller_help": (
        "个人信息,只有协调员可见", "Personal data: only coordinators see it"),
    "tips.log_where": ("地址或地名", "Address or place name"),
    "tips.log_send": ("登记线索", "Log tip"),
    "tips.logged": ("已登记线索 {id}", "Logged tip {id}"),
    "tips.log_where_first": ("请先查找并确认地址", "Find and confirm the address first"),
    # the audit log
    "action.tip.post": ("发送线索", "Posted a tip"),
    "action.tip.log": ("代报线索", "Logged a tip for someone"),
    "action.tip.follow": ("补充到线索", "Added to a tip"),
}

_EVENTS = {
    "dispatch": ("派单", "dispatch"), "acknowledge": ("接单", "acknowledge"), "arrive": ("到场", "mark on scene"),
    "close": ("办结", "close"), "refer": ("移交110", "refer to 110"), "merge": ("合并", "merge"),
}
_STATUSES = {
    "received": ("未派单", "not dispatched"), "dispatched": ("已派单", "dispatched"),
    "acknowledged": ("已接单", "acknowledged"), "on_scene": ("已到场", "on scene"), "closed": ("已办结", "closed"),
    "referred": ("已移交110", "referred to 110"), "merged": ("已合并", "merged"),
}
# Every refusal the life cycle can give: "tips.cannot.<event>_when_<status>" and "..._before_dispatch".
for _event, (_zh_e, _en_e) in _EVENTS.items():
    MESSAGES[f"tips.cannot.{_event}_before_dispatch"] = (f"还没派单,不能{_zh_e}", f"Cannot {_en_e} before dispatch")
    for _status, (_zh_s, _en_s) in _STATUSES.items():
        MESSAGES[f"tips.cannot.{_event}_when_{_status}"] = (
            f"线索{_zh_s},不能{_zh_e}", f"Cannot {_en_e}: the tip is {_en_s}")
