"""Retention and the rights of the people in the data: purge, export and erasure (PIPL)."""

# key: (zh-CN, English)
MESSAGES: dict[str, tuple[str, str]] = {
    # python -m nightwatch purge
    "cli.purge.help": ("按保留期限匿名化旧线索与打卡记录,删除其照片并清理旧的地址解析缓存(可重复运行,适合每日定时执行)",
                       "Anonymise tips and check-ins older than the retention period, delete their photos and old "
                       "geocoder answers (safe to repeat; meant to run daily on a schedule)"),
    "cli.purge.days": ("保留天数(默认取 NIGHTWATCH_RETENTION_DAYS,未设置时为 365)",
                       "Days to keep (default: NIGHTWATCH_RETENTION_DAYS, or 365 when unset)"),
    "cli.purge.dry_run": ("只统计将要处理的数量,不做任何修改", "Only count what would be purged; change nothing"),
    "cli.purge.bad_days": ("保留天数须为不小于 1 的整数。", "The number of days must be a whole number of at least 1."),
    "cli.purge.done": ("已按 {days} 天保留期限完成清理:匿名化线索 {tips} 条、打卡记录 {check_ins} 条,"
                       "删除照片 {photos} 张,清理地址解析缓存 {geocodes} 条。",
                       "Purged with a {days}-day retention period: {tips} tips and {check_ins} check-ins anonymised, "
                       "{photos} photos deleted, {geocodes} geocoder answers forgotten."),
    "cli.purge.would": ("试运行(未做修改):按 {days} 天保留期限,将匿名化线索 {tips} 条、打卡记录 {check_ins} 条,"
                        "删除照片 {photos} 张,清理地址解析缓存 {geocodes} 条。",
                        "Dry run (nothing changed): with a {days}-day retention period, {tips} tips and {check_ins} "
                        "check-ins would be anonymised, {photos} photos deleted and {geocodes} geocoder answers "
                        "forgotten."),
    "retention.days_too_small": ("保留天数须不小于 1。", "The retention period must be at least one day."),
    # A person's data: export and erasure
    "rights.title": ("个人数据(导出与删除)", "Personal data (export and erasure)"),
    "rights.intro": ("依《个人信息保护法》,本人可要求查阅、复制或删除其个人信息。导出和删除都会记入审计日志。",
                     "Under the Personal Information Protection Law a person may ask to see, copy or erase their "
                     "personal data. Every export and erasure is recorded in the audit log."),
    "rights.pick": ("人员", "Person"),
    "rights.pick_placeholder": ("选择一位人员", "Choose a person"),
    "rights.none": ("这个片区还没有人员。", "This district has no people yet."),
    "rights.no_person": ("找不到这位人员,可能已被删除。", "This person cannot be found; they may have been erased."),
    "rights.export_title": ("导出个人数据", "Export personal data"),
    "rights.export_help": ("包含人员信息、队伍、排班、打卡、上报的线索与隐患、账号及与其有关的审计记录;附线索照片。",
                           "Holds the person's record, teams, shifts, check-ins, the tips and hazards they reported, "
                           "their accounts and the audit entries about them, with the tips' photos."),
    "rights.prepare": ("准备导出文件", "Prepare the export"),
    "rights.download": ("下载 {name} 的个人数据(ZIP)", "Download {name}'s personal data (ZIP)"),
    "rights.prepared": ("导出已准备好(已记入审计日志),共 {rows} 条记录、{photos} 张照片。",
                        "The export is ready (recorded in the audit log): {rows} records and {photos} photos."),
    "rights.erase_title": ("删除个人数据", "Erase personal data"),
    "rights.erase_warning": ("删除后无法恢复:姓名、手机号、其上报线索的文字与照片、打卡定位将被清除,账号停用;"
                             "排班与统计数字保留,但不再能看出是谁。",
                             "This cannot be undone: the name, phone, the words and photos of their tips and their "
                             "check-in locations are removed and their accounts disabled; rosters and statistics "
                             "keep their numbers but no longer show who it was."),
    "rights.confirm": ("请输入此人的姓名「{name}」以确认", "Type the person's name “{name}” to confirm"),
    "rights.erase": ("删除个人数据", "Erase personal data"),
    "rights.erased": ("已删除该人员的个人数据:匿名化线索 {tips} 条、打卡记录 {check_ins} 条,停用账号 {accounts} 个,"
                      "删除照片 {photos} 张,清除其他记录中的提及 {rows_scrubbed} 处。已记入审计日志。",
                      "The person's data is erased: {tips} tips and {check_ins} check-ins anonymised, {accounts} "
                      "accounts disabled, {photos} photos deleted, {rows_scrubbed} mentions removed from other "
                      "records. Recorded in the audit log."),
    # the audit log's words for these actions
    "action.person.export": ("导出个人数据", "Exported a person's data"),
    "action.person.erase": ("删除个人数据", "Erased a person's data"),
    "action.retention.purge": ("按保留期限清理", "Retention purge"),
    "rights.failed": ("操作没有完成,请重试。", "That did not work. Please try again."),
}
