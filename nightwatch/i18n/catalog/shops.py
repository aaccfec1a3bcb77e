"""The shop dossier area's messages: owner and contacts, checklist, risk and timeline."""

# key: (zh-CN, English)
MESSAGES: dict[str, tuple[str, str]] = {
}
