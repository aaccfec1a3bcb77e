"""The app's name, menu, page titles and shared words."""

# key: (zh-CN, English)
MESSAGES: dict[str, tuple[str, str]] = {
    "app.name": ("夜巡", "NightWatch"),
    "app.tagline": (
        "社区夜间巡防协同:巡逻队上图、排班、商户线索就近派警、隐患整改、巡防热力图",
        "Community night patrols: teams on a map, rosters, merchants' tips sent to the nearest patrol, hazards tracked to rectification, a patrol heatmap",
    ),
    "menu.language": ("语言", "Language"),
    "page.home": ("今夜概览", "Tonight"),
    "page.about": ("关于夜巡", "About"),
    "page.map": ("态势图", "Situation map"),
    "page.geography": ("网格与点位", "Grids and places"),
    "page.people": ("队伍与人员", "Teams and people"),
    "page.roster": ("排班", "Roster"),
    "page.my_shifts": ("我的班次", "My shifts"),
    "page.coverage": ("覆盖看板", "Coverage"),
    "page.tip": ("报线索", "Report"),
    "page.dispatch": ("线索调度", "Dispatch"),
    "page.my_tasks": ("我的任务", "My tasks"),
    "weekday.0": ("周一", "Mon"),
    "weekday.1": ("周二", "Tue"),
    "weekday.2": ("周三", "Wed"),
    "weekday.3": ("周四", "Thu"),
    "weekday.4": ("周五", "Fri"),
    "weekday.5": ("周六", "Sat"),
    "weekday.6": ("周日", "Sun"),
    "list.separator": ("、", ", "),
    "error.database": ("暂时无法读取数据库,请稍后再试。", "The database cannot be read right now. Please try again shortly."),
    "form.choose": ("请选择", "Choose…"),
}
