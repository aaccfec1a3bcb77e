"""The tasks area's messages."""

# key: (zh-CN, English)
MESSAGES: dict[str, tuple[str, str]] = {
}
