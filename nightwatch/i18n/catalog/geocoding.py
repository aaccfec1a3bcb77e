"""Finding an address: the gazetteer, the cache and a configured geocoder."""

# key: (zh-CN, English)
MESSAGES: dict[str, tuple[str, str]] = {
}
