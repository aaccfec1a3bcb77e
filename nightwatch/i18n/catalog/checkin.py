"""The check-in area's messages: scanning a checkpoint's QR code on patrol."""

# key: (zh-CN, English)
MESSAGES: dict[str, tuple[str, str]] = {
}
