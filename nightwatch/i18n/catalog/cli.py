"""The operator command line."""

# key: (zh-CN, English)
MESSAGES: dict[str, tuple[str, str]] = {
    "cli.description": ("夜巡运维命令", "NightWatch operator commands"),
    "cli.upgrade.help": ("把配置的数据库迁移到最新结构", "migrate the configured database to the newest schema"),
    "cli.upgrade.done": ("数据库已是最新结构({revision}):{url}", "Database is at the newest schema ({revision}): {url}"),
    "cli.sweep.help": ("记录到岗:标记开班一小时仍未打卡的缺勤,结算已结束班次的时长与积分(可重复运行)",
                       "record attendance: mark no-shows an hour into a shift, credit hours and points of finished shifts (safe to run again)"),
    "cli.sweep.done": ("到岗记录完成:缺勤 {no_shows} 人次,结班 {closed} 个,积分记录 {entries} 条。",
                       "Attendance recorded: {no_shows} no-shows, {closed} shifts closed, {entries} points entries."),
    "cli.sweep.reminders": ("已向群机器人发送 {count} 条确认班次提醒。", "Sent {count} shift reminders to the group robot."),
    "cli.recount.help": ("按原始打卡与线索重新统计热力图(批量导入后运行;可重复运行)",
                         "recount the heatmaps from the raw check-ins and tips (after a bulk import; safe to repeat)"),
    "cli.recount.done": ("已重新统计 {districts} 个片区的热力图。", "Recounted the heatmaps of {districts} districts."),
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
    "cli.check.help": ("检查部署是否安全(演示账号、错误详情、XSRF、上传上限、密钥、SQLite 设置、参数隐藏)",
                       "check the deployment is safe (demo accounts, error details, XSRF, upload limit, secrets, "
                       "SQLite settings, hidden parameters)"),
    "cli.check.ok": ("部署检查通过。", "Deployment check passed."),
    "cli.check.failed": ("部署检查发现 {count} 个问题。", "Deployment check found {count} problems."),
})
