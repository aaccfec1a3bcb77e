"""The dashboard area's messages: KPIs, comparisons, charts, exports and the weekly brief."""

# key: (zh-CN, English)
MESSAGES: dict[str, tuple[str, str]] = {
}
