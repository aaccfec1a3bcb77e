"""The operator command line."""

# key: (zh-CN, English)
MESSAGES: dict[str, tuple[str, str]] = {
    "cli.description": ("夜巡运维命令", "NightWatch operator commands"),
    "cli.upgrade.help": ("把配置的数据库迁移到最新结构", "migrate the configured database to the newest schema"),
    "cli.upgrade.done": ("数据库已是最新结构({revision}):{url}", "Database is at the newest schema ({revision}): {url}"),
    "cli.seed.help": ("载入演示数据(可重复运行,结果相同)", "load the demo data (safe to run again: same rows)"),
    "cli.seed.if_empty": ("只在数据库还没有片区时载入", "load only when the database has no districts yet"),
    "cli.seed.skipped": ("数据库已有数据,未载入演示数据。", "The database already holds data; demo data not loaded."),
    "cli.seed.done": ("演示数据已就绪:新增 {rows} 行。{detail}", "Demo data ready: {rows} rows added. {detail}"),
    "cli.seed.count": ("{table} {count}", "{table} {count}"),
    "cli.prepare.help": (
        "迁移数据库;内置 SQLite 首次运行时载入演示数据",
        "migrate the database; load the demo on the embedded SQLite's first run",
    ),
    "cli.prepare.done": ("数据库已就绪:{url}", "Database ready: {url}"),
    "cli.error.unreachable": ("无法连接数据库 {url}:{reason}", "Cannot reach the database at {url}: {reason}"),
    "cli.error.failed": ("操作失败:{reason}", "Failed: {reason}"),
    "cli.error.url": (
        "数据库地址无效:{reason}。请检查 NIGHTWATCH_DATABASE_URL。",
        "The database URL is not valid: {reason}. Check NIGHTWATCH_DATABASE_URL.",
    ),
}

MESSAGES.update({
    "cli.add_account.help": ("新建账号(首个管理员就用它创建)", "create an account (the first admin is made this way)"),
    "cli.add_account.login": ("登录账号名", "the login name"),
    "cli.add_account.district": ("负责的片区,可重复;写“片区”或“城市/片区”", "a district in scope, repeatable: NAME or CITY/NAME"),
    "cli.add_account.person": ("对应队员的手机号", "phone number of the person the account signs in as"),
    "cli.add_account.shop": ("对应商户的名称", "name of the shop the account speaks for"),
    "cli.add_account.name": ("显示名称", "display name"),
    "cli.add_account.password": ("新密码:", "New password: "),
    "cli.add_account.again": ("再输入一次:", "Again: "),
    "cli.add_account.mismatch": ("两次输入的密码不一致。", "The two passwords differ."),
    "cli.add_account.no_password": ("没有读到密码:请设置 NIGHTWATCH_PASSWORD 或在终端输入。",
                                    "No password given: set NIGHTWATCH_PASSWORD or type it at a terminal."),
    "cli.add_account.done": ("账号“{login}”已创建(编号 {id})。", "Account “{login}” created (id {id})."),
    "cli.check.help": ("检查部署是否安全(演示账号、错误详情、XSRF、上传上限)",
                       "check the deployment is safe (demo accounts, error details, XSRF, upload limit)"),
    "cli.check.ok": ("部署检查通过。", "Deployment check passed."),
    "cli.check.failed": ("部署检查发现 {count} 个问题。", "Deployment check found {count} problems."),
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
})
