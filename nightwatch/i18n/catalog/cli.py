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

MESSAGES.update({
    "cli.bench.help": ("在合成城市上运行基准测试(SQLite,可用时也跑 PostgreSQL),输出表格并写入 docs/benchmarks.md",
                       "run the benchmarks on a synthetic city (SQLite, and PostgreSQL when available); "
                       "print the table and write docs/benchmarks.md"),
    "cli.bench.scale": ("城市规模:small 用于冒烟测试,city 为全城(两万人、五百万次打卡)",
                        "the city's size: small for a smoke test, city for a whole city (20,000 people, 5M check-ins)"),
    "cli.bench.runs": ("每项计时的次数(取中位数;默认 city 7 次,其他 3 次)",
                       "timed runs per figure (the median is reported; default 7 at city, 3 otherwise)"),
    "cli.bench.bad_runs": ("次数必须是至少为 1 的整数", "runs must be a whole number, at least 1"),
    "cli.bench.only": ("只运行这些场景,以逗号分隔,如 1,3", "run only these scenarios, separated by commas, e.g. 1,3"),
    "cli.bench.bad_only": ("场景编号须为 1 到 {count},以逗号分隔", "scenario numbers are 1 to {count}, separated by commas"),
    "cli.bench.sqlite_only": ("只在 SQLite 上运行", "run on SQLite only"),
    "cli.bench.pg_url": ("PostgreSQL 数据库地址(其内容会被合成城市替换;默认读 NIGHTWATCH_BENCH_PG_URL,"
                         "否则启动临时服务器)",
                         "a PostgreSQL database URL (its contents are replaced by the city; default "
                         "NIGHTWATCH_BENCH_PG_URL, else a throwaway server)"),
    "cli.bench.out": ("Markdown 表格写入的文件", "the file the Markdown table is written to"),
    "cli.bench.unavailable": ("基准测试不可用(需要源码中的 benchmarks/ 目录):{reason}",
                              "The benchmarks are not available (they need the source tree's benchmarks/): {reason}"),
})
