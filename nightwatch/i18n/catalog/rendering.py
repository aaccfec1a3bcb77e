"""Messages about how user text and files are shown back safely."""

# key: (zh-CN, English)
MESSAGES: dict[str, tuple[str, str]] = {
}
