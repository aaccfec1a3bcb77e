"""The check-in area's messages: scanning a checkpoint's QR code on patrol."""

# key: (zh-CN, English)
MESSAGES: dict[str, tuple[str, str]] = {
    # The link itself
    "checkin.link_missing": ("这个打卡链接不完整。请重新扫描打卡点上的二维码。",
                             "This check-in link is incomplete. Please scan the checkpoint's QR code again."),
    "checkin.refused_forged": ("这个二维码无效或已更换,不能打卡。已记录,调度员会核实。请联系带队人员。",
                               "This QR code is not valid or has been replaced, so you cannot check in. "
                               "It has been noted for the coordinator; please tell your team leader."),
    "checkin.refused_unknown_point": ("找不到这个打卡点,不能打卡。请联系带队人员。",
                                      "This checkpoint does not exist, so you cannot check in. "
                                      "Please tell your team leader."),
    "checkin.refused_inactive": ("这个打卡点已停用,不能打卡。请联系带队人员。",
                                 "This checkpoint is no longer in use, so you cannot check in. "
                                 "Please tell your team leader."),
    "checkin.point": ("打卡点:{point}", "Checkpoint: {point}"),
    # Not signed in yet
    "checkin.sign_in_for": ("这是「{point}」的打卡码。请先登录,登录后会回到这里打卡。",
                            "This is the code of “{point}”. Please sign in first; you will come straight back "
                            "here to check in."),
    "checkin.sign_in_link_hint": ("有个人登录链接的志愿者,先打开自己的链接,再扫一次码即可。",
                                  "Volunteers with a personal sign-in link can open it first, then scan again."),
    # Someone on patrol
    "checkin.tap": ("在此打卡", "Check in here"),
    "checkin.tap_hint": ("点一下才会打卡;打开链接本身不会记录。",
                         "Nothing is recorded until you tap; opening the link alone records nothing."),
    "checkin.done": ("已在「{point}」打卡 · {time}", "Checked in at “{point}” · {time}"),
    "checkin.duplicate": ("重复扫码,已记为一次({time} 的打卡)。",
                          "Scanned again: counted once (your check-in at {time})."),
    "checkin.distance": ("手机距打卡点约 {metres} 米。", "Your phone was about {metres} m from the point."),
    "checkin.far": ("手机距打卡点约 {metres} 米,超出 {radius} 米。打卡已记录,调度员会留意;如定位不准可忽略。",
                    "Your phone was about {metres} m away, beyond {radius} m. The check-in counts and the "
                    "coordinator will take a look; ignore this if your location was inaccurate."),
    "checkin.on_shift": ("计入班次:{label}", "Counted on your shift: {label}"),
    "checkin.on_shift_unnamed": ("已计入您当前的班次。", "Counted on your current shift."),
    "checkin.no_shift": ("您现在不在任何班次内,打卡已记录,但不计入班次。",
                         "You are not on any shift right now: the check-in is recorded but not counted on a shift."),
    "checkin.attended": ("已为您签到本班次。", "You are marked present on this shift."),
    "checkin.next_point": ("下一个点:{point}", "Next point: {point}"),
    "checkin.coordinator_tests_only": ("调度员和管理员只能用此页检查二维码,不能打卡。",
                                       "Coordinators and administrators can test codes here but not check in."),
    "checkin.no_person": ("您的账号没有关联到在册的巡逻人员,不能打卡。请联系调度员。",
                          "Your account is not linked to an active patrol member, so you cannot check in. "
                          "Please ask your coordinator."),
    "checkin.other_district": ("这个打卡点不属于您的片区,不能打卡。",
                               "This checkpoint is not in your district, so you cannot check in."),
    # Location
    "checkin.location_title": ("位置(可选)", "Location (optional)"),
    "checkin.location_button": ("附上我的位置", "Add my location"),
    "checkin.location_waiting": ("正在获取位置…", "Finding your location…"),
    "checkin.location_help": ("位置可不附。附上后只用来核对您离打卡点有多远。浏览器只在 https 或本机地址下允许定位。",
                              "Location is optional and only used to check how far you are from the point. "
                              "Browsers allow it only over https or on localhost."),
    "checkin.location_attached": ("已附上位置(精度约 {accuracy} 米)。",
                                  "Location added (accurate to about {accuracy} m)."),
    "checkin.location_attached_plain": ("已附上位置。", "Location added."),
    "checkin.location_denied": ("未获得定位权限,将不附位置打卡。",
                                "Location permission was not given; checking in without it."),
    "checkin.location_insecure": ("此网址不是 https,浏览器不允许定位,将不附位置打卡。",
                                  "This address is not https, so the browser does not allow location; "
                                  "checking in without it."),
    "checkin.location_failed": ("暂时获取不到位置,将不附位置打卡。",
                                "Could not get a location; checking in without it."),
    "checkin.location_clear": ("不附位置", "Leave location out"),
    # Where next
    "checkin.to_routes": ("巡线进度", "Route progress"),
    "checkin.to_home": ("回到首页", "Back to home"),
    # Coordinators testing a poster, merchants
    "checkin.poster_ok": ("二维码有效:{point},属于 {district}", "This code is valid: {point}, in {district}"),
    "checkin.poster_note": ("调度员测试海报不会记录打卡。", "Testing a poster as a coordinator records no check-in."),
    "checkin.merchant": ("打卡由巡逻队员完成,商户账号无需打卡。谢谢您的支持!",
                         "Check-ins are for patrol members; shop accounts need not check in. Thank you for helping!"),
    # Coordinator alerts (used on the route progress page)
    "checkin.alerts_title": ("打卡异常", "Check-in alerts"),
    "checkin.alerts_none": ("今夜没有被拒的扫码,也没有距离过远的打卡。",
                            "Tonight there are no refused scans and no check-ins from far away."),
    "checkin.alerts_caption": ("被拒扫码(二维码无效或已更换)与手机距打卡点过远的打卡,最新在前。",
                               "Refused scans (invalid or replaced codes) and check-ins from phones far from the "
                               "point, newest first."),
    "checkin.alert_time": ("时间", "Time"),
    "checkin.alert_kind": ("类型", "Kind"),
    "checkin.alert_person": ("人员", "Person"),
    "checkin.alert_point": ("打卡点", "Checkpoint"),
    "checkin.alert_detail": ("说明", "Detail"),
    "checkin.alert_refused": ("扫码被拒", "Refused scan"),
    "checkin.alert_far": ("距离过远", "Far from point"),
    "checkin.alert_distance": ("约 {metres} 米", "about {metres} m"),
    "checkin.alert_reason_forged": ("二维码无效或已更换", "invalid or replaced code"),
    "checkin.alert_reason_unknown_point": ("打卡点不存在", "unknown checkpoint"),
    "checkin.alert_reason_inactive": ("打卡点已停用", "checkpoint no longer in use"),
    "checkin.alert_unknown": ("—", "—"),
}
