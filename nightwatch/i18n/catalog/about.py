"""The about page and the names of tables."""

# key: (zh-CN, English)
MESSAGES: dict[str, tuple[str, str]] = {
    "about.title": ("关于夜巡", "About NightWatch"),
    "about.what": (
        "夜巡把民警、辅警、网格员、志愿者(红马甲/红袖章)和商户联防员组织在一张图上:按“一警+两辅+三网格员+N商户”的微网格配置排班,商户线索“点对点”推送给最近的巡逻力量,按“1、3、5分钟”快速反应圈计时,巡查发现的隐患跟踪到整改复查,巡防热力图对公众只显示汇总。",
        "NightWatch puts police, auxiliaries, grid workers, volunteers (red vests and armbands) and merchant co-defenders on one map: shifts follow each micro-grid's template (1 officer + 2 auxiliaries + 3 grid workers + N merchants), a merchant's tip goes point-to-point to the nearest patrol and is timed against the 1-3-5 minute response circles, hazards found on patrol are tracked to rectification and re-inspection, and the public heatmap shows aggregates only.",
    ),
    "about.sources": ("取材的报道", "The reports it is drawn from"),
    "about.source.000": (
        "襄阳公安:全域巡防、五队共建、地摊警务(管家巷、万达金街、风华路夜市)",
        "Xiangyang police: area-wide patrols, five teams, street-stall policing (Guanjia Lane, Wanda Gold Street, Fenghua Road night market)",
    ),
    "about.source.001": (
        "南昌西湖区:27个治安宣防岗亭,“屯警街面”,“情指行”一体化",
        "Nanchang Xihu: 27 security kiosks, police stationed on the street, intelligence-command-action loop",
    ),
    "about.source.002": (
        "太仓浏河、桂林东西巷、重庆九宫庙、晋江青阳:微网格+商户联防,“1、3、5分钟”,隐患整改",
        "Taicang Liuhe, Guilin Dongxi Lane, Chongqing Jiugongmiao, Jinjiang Qingyang: micro-grids with merchant co-defenders, 1-3-5 minute response, hazard rectification",
    ),
    "about.source.003": (
        "常德:全时空巡逻防控,“红马甲+警务”,群防力量886名/日",
        "Changde: round-the-clock patrols, red vests with police, 886 community patrollers a day",
    ),
    "about.source.004": (
        "无锡:平安前哨、潮汐巡防、巡防力量“上图”",
        "Wuxi: safety outposts, tidal patrols, patrol strength shown live on a map",
    ),
    "about.data": ("数据库中的数据", "What the database holds"),
    "about.rows": ("{table}:{count} 行", "{table}: {count} rows"),
    "about.database": ("数据库:{backend}", "Database: {backend}"),
    "about.version": ("版本 {version}", "Version {version}"),
    "table.district": ("片区", "Districts"),
    "table.grid": ("微网格", "Micro-grids"),
    "table.place": ("地点", "Places"),
    "table.duty_post": ("值守点", "Duty posts"),
    "table.checkpoint": ("打卡点", "Check-in points"),
    "table.route": ("巡线", "Patrol lines"),
    "table.team": ("队伍", "Teams"),
    "table.person": ("队员", "People"),
    "table.shop": ("商户", "Shops"),
    "table.shift": ("班次", "Shifts"),
    "table.assignment": ("排班", "Assignments"),
    "table.check_in": ("打卡", "Check-ins"),
    "table.tip": ("线索", "Tips"),
    "table.dispatch": ("派单", "Dispatches"),
    "table.hazard": ("隐患", "Hazards"),
    "table.outreach_event": ("宣防活动", "Outreach events"),
    "table.route_stop": ("巡线站点", "Route stops"),
    "table.shift_campaign": ("排班计划", "Shift campaigns"),
    "table.points_ledger": ("积分记录", "Points entries"),
    "table.last_position": ("最新位置", "Last positions"),
}
