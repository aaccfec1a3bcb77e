"""The deployment check's findings (`python -m nightwatch check-config`): each says what to set."""

# key: (zh-CN, English)
MESSAGES: dict[str, tuple[str, str]] = {
    "check.error_details": ("Streamlit 会向访客显示错误详情:请设 client.showErrorDetails = \"none\"。",
                            "Streamlit shows error details to visitors: set client.showErrorDetails = \"none\"."),
    "check.xsrf_off": ("XSRF 防护已关闭:请设 server.enableXsrfProtection = true。",
                       "XSRF protection is off: set server.enableXsrfProtection = true."),
    "check.upload_limit": ("上传上限过高:server.maxUploadSize 不应超过 20 MB。",
                           "The upload limit is too high: server.maxUploadSize should be 20 MB at most."),
    "check.toolbar": ("访客能看到开发者菜单:请设 client.toolbarMode = \"viewer\"。",
                      "Visitors see developer options: set client.toolbarMode = \"viewer\"."),
    "check.demo_accounts": ("演示账号仍可登录:{logins}。请在账号管理中停用。",
                            "Demo accounts can still sign in: {logins}. Disable them on the accounts page."),
    "check.weak_cookie_secret": (
        "单点登录的 cookie_secret 太弱或是示例值:请在 .streamlit/secrets.toml 的 [auth] 中设置至少 {length} 个字符的随机串"
        "(如 python -c \"import secrets; print(secrets.token_urlsafe(48))\")。",
        "Single sign-on's cookie_secret is weak or an example: set a random string of at least {length} characters "
        "under [auth] in .streamlit/secrets.toml (e.g. python -c \"import secrets; print(secrets.token_urlsafe(48))\")."),
    "check.weak_database_password": (
        "数据库密码为空、太短或是示例值:请为数据库用户设置至少 {length} 个字符的随机密码。",
        "The database password is empty, short or an example: give the database user a random password of at least "
        "{length} characters."),
    "check.sqlite_wal": ("SQLite 未使用 WAL 日志模式(当前:{mode}):并发写入会互相阻塞。",
                         "SQLite is not in WAL journal mode (now: {mode}): concurrent writers would block each other."),
    "check.sqlite_foreign_keys": ("SQLite 未开启外键约束:可能留下指向已删除记录的数据。",
                                  "SQLite foreign keys are off: rows could point at deleted records."),
    "check.sqlite_busy_timeout": (
        "SQLite 的等待时间({ms} 毫秒)太短:忙时用户会看到“数据库已锁定”。至少设为 {minimum} 毫秒。",
        "SQLite's busy timeout ({ms} ms) is too short: users would see \"database is locked\" at busy moments. "
        "Set it to at least {minimum} ms."),
    "check.sqlite_secure_delete": ("SQLite 未开启 secure_delete:清除的个人信息会残留在数据库文件里。",
                                   "SQLite secure_delete is off: purged personal data would stay in the database file."),
    "check.hide_parameters": ("数据库引擎未隐藏语句参数:出错时手机号和姓名会写进日志。",
                              "The database engine shows statement parameters: an error would write phones and names "
                              "into the logs."),
    "check.webhook_http": ("群机器人地址不是 HTTPS:地址里的密钥会以明文传输。",
                           "The group robot URL is not HTTPS: the key inside it would travel in clear text."),
}
