"""The heatmap area's messages: patrol coverage, incidents and the gaps between them."""

# key: (zh-CN, English)
MESSAGES: dict[str, tuple[str, str]] = {
}
