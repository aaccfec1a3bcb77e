"""What the app says about input it refuses: too long, or a day that is not one."""

# key: (zh-CN, English)
MESSAGES: dict[str, tuple[str, str]] = {
    "input.too_long": ("太长了,最多 {limit} 个字。", "Too long: at most {limit} characters."),
    "input.bad_date": ("日期无效:应在 {low} 到 {high} 之间。", "Not a valid date: from {low} to {high}."),
}
