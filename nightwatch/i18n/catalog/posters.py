"""Printed checkpoint posters (打卡点 QR sheets)."""

# key: (zh-CN, English)
MESSAGES: dict[str, tuple[str, str]] = {
    "poster.checkpoint": ("打卡点", "Check-in point"),
    "poster.scan": ("扫码打卡", "Scan to check in"),
    "poster.page": ("第 {page}/{pages} 页", "Page {page} of {pages}"),
}
