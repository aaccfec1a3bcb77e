"""The outreach area's messages: booths, talks and venue visits, and what they reached."""

# key: (zh-CN, English)
MESSAGES: dict[str, tuple[str, str]] = {
}
