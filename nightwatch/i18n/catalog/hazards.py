"""The hazards area's messages: reporting, rectification, re-inspection and rates."""

# key: (zh-CN, English)
MESSAGES: dict[str, tuple[str, str]] = {
}
