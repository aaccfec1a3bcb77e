"""The heatmap area's messages: patrol coverage, incidents and the gaps between them."""

# key: (zh-CN, English)
MESSAGES: dict[str, tuple[str, str]] = {
    "heatmap.intro": (
        "每个格子是约 {area} 平方公里的六边形;打卡少于 {min_count} 次的格子不公开显示,这样无法从图上看出任何一个人的行踪。",
        ("Each cell is a hexagon of about {area} km²; cells with fewer than {min_count} check-ins are hidden from "
        "the public, so nobody's movements can be read from the map."),
    ),
    "heatmap.intro_full": (
        "每个格子是约 {area} 平方公里的六边形。您负责本片区,看到全部格子;公众只看到打卡不少于 {min_count} 次的格子。",
        ("Each cell is a hexagon of about {area} km². You coordinate this district and see every cell; the public "
        "sees only cells with at least {min_count} check-ins."),
    ),
    "heatmap.filter.district": ("片区", "District"),
    "heatmap.filter.dates": ("日期(值班夜)", "Nights"),
    "heatmap.filter.hours": ("夜间时段", "Time of night"),
    "heatmap.filter.more": ("格子大小、队伍类型与事件类别", "Cell size, team types and categories"),
    "heatmap.filter.cell_size": ("格子大小", "Cell size"),
    "heatmap.cell_size": ("约 {area} 平方公里", "about {area} km²"),
    "heatmap.filter.team_types": ("队伍类型", "Team types"),
    "heatmap.filter.categories": ("事件类别", "Incident categories"),
    "heatmap.filter.all": ("全部", "All"),
    "heatmap.filter.layer": ("图层", "Layer"),
    "heatmap.layer.patrol": ("巡逻覆盖", "Patrol coverage"),
    "heatmap.layer.incident": ("事件分布", "Incidents"),
    "heatmap.layer.gap": ("覆盖缺口", "Coverage gaps"),
    "heatmap.tooltip.patrol": ("打卡 {n} 次", "{n} check-ins"),
    "heatmap.tooltip.incident": ("事件 {n} 起", "{n} incidents"),
    "heatmap.tooltip.gap": ("缺口 {n} 个百分点", "Gap of {n} points"),
    "heatmap.legend.patrol": ("打卡次数", "Check-ins"),
    "heatmap.legend.incident": ("事件数", "Incidents"),
    "heatmap.legend.gap": ("缺口(百分点)", "Gap (points)"),
    "heatmap.summary.patrol": ("{cells} 个格子,共打卡 {total} 次。", "{cells} cells, {total} check-ins in all."),
    "heatmap.summary.incident": ("{cells} 个格子,共 {total} 起事件。", "{cells} cells, {total} incidents in all."),
    "heatmap.summary.gap": ("{cells} 个缺口格子。", "{cells} gap cells."),
    "heatmap.gap_rule": (
        "缺口 = 该格子占本片区事件的比例 − 占巡逻打卡的比例(百分点);事件多而巡逻少的格子排在前面。",
        ("Gap = the cell's share of the district's incidents minus its share of the patrol check-ins (in "
        "percentage points); cells with many incidents and few patrols come first."),
    ),
    "heatmap.gaps.title": ("覆盖缺口排名", "Coverage gaps, ranked"),
    "heatmap.gaps.none": ("所选时段没有覆盖缺口。", "No coverage gaps in the nights and hours chosen."),
    "heatmap.col.rank": ("排名", "Rank"),
    "heatmap.col.place": ("附近", "Near"),
    "heatmap.col.incidents": ("事件", "Incidents"),
    "heatmap.col.patrols": ("打卡", "Check-ins"),
    "heatmap.col.score": ("缺口(百分点)", "Gap (points)"),
    "heatmap.col.route": ("最近巡线", "Nearest route"),
    "heatmap.col.route_m": ("距离(米)", "Distance (m)"),
    "heatmap.no_district": ("还没有片区。", "There are no districts yet."),
    "heatmap.empty": ("所选条件下没有可显示的格子。", "No cells to show for what is chosen."),
    "heatmap.routes_left_out": ("本片区有 {count} 条巡线,画上去会盖住格子,这里只画网格边界;巡线见态势图(选一个网格)。",
                                "This district has {count} patrol lines, too many to draw over the cells, so only "
                                "the grid outlines frame them; see the lines on the situation map, one grid at a time."),
    "heatmap.offline": ("未配置底图:只画热力格子,不连外网。", "No basemap configured: cells only, nothing fetched from the internet."),
    "heatmap.bad_dates": ("结束日期早于开始日期。", "The last night is before the first."),
    "heatmap.bad_hours": ("时段不对:小时须在 0–23 之间。", "Hours must be between 0 and 23."),
    "heatmap.bad_resolution": ("格子大小不对。", "That cell size is not offered."),
    "heatmap.incidents_forbidden": (
        "事件分布和覆盖缺口只对本片区的协调员开放。",
        "Incidents and coverage gaps are for the district's coordinators only.",
    ),
    "heatmap.public_nights": ("公开视图按整周统计,不含今晚:{first} 至 {last}。",
                              "The public view counts whole weeks and never tonight: {first} to {last}."),
}
