"""Messages about busy databases, interrupted work and the configuration check."""

# key: (zh-CN, English)
MESSAGES: dict[str, tuple[str, str]] = {
    "reliability.busy": ("系统繁忙,请稍后再试:您填写的内容还在,稍后再点一次即可。",
                         "The system is busy. Please try again in a moment: what you entered is kept."),
}
