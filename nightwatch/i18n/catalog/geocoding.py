"""Finding an address: the gazetteer, the cache and a configured geocoder."""

# key: (zh-CN, English)
MESSAGES: dict[str, tuple[str, str]] = {
    "geocode.empty": ("请输入地名或地址。", "Type a place name or an address."),
    "geocode.too_long": (
        "地址太长了，请不要超过 {limit} 个字。",
        "That address is too long; keep it under {limit} characters.",
    ),
    "geocode.not_found": (
        ("在已登记的地点、值守点、打卡点和商户中找不到“{query}”，而系统没有配置在线地图查询。"
         "请换个写法再试，或者从地图应用里复制坐标粘贴进来。"),
        ("“{query}” is not among our registered places, duty posts, checkpoints or shops, and no online "
         "geocoder is configured. Try another spelling, or paste the coordinates from a map app instead."),
    ),
    "geocode.no_result": (
        "在线地图查不到“{query}”。请换个写法再试，或者直接粘贴坐标。没有保存任何内容。",
        ("The online map found nothing for “{query}”. Try another spelling, or paste the coordinates. "
         "Nothing was saved."),
    ),
    "geocode.unavailable": (
        "在线地图查询暂时用不了（网络、限流或密钥问题）。请稍后再试，或者直接粘贴坐标。没有保存任何内容。",
        ("The online map lookup is not available right now (network, rate limit or key problem). "
         "Try again later, or paste the coordinates. Nothing was saved."),
    ),
    "geocode.outside": (
        "在线地图给出的位置不是一个有效的地点。请直接粘贴坐标。没有保存任何内容。",
        ("The online map answered with a position that is not a real place. Paste the coordinates "
         "instead. Nothing was saved."),
    ),
    "geocode.source.gazetteer": ("已登记的地点", "a registered place"),
    "geocode.source.cache": ("之前查过的地址", "an address looked up before"),
    "geocode.source.nominatim": ("在线地图（Nominatim）", "the online map (Nominatim)"),
    "geocode.source.baidu": ("百度地图（已换算为 WGS-84）", "Baidu Maps (converted to WGS-84)"),
}
