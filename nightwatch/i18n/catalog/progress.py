"""The route progress area's messages: which points of a patrol line were visited, and when."""

# key: (zh-CN, English)
MESSAGES: dict[str, tuple[str, str]] = {
}
