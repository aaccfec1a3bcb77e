"""The situation map: layers, legend, filters and details."""

# key: (zh-CN, English)
MESSAGES: dict[str, tuple[str, str]] = {
}
