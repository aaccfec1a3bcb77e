"""The standing city: districts, grids and what stands in them, teams, people and shops."""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from benchmarks import draw
from benchmarks.scale import Scale
from nightwatch.geo import rectangle
from nightwatch.nights import DEFAULT_TIMEZONE
from nightwatch.vocab import BusinessKind, DutyPostKind, PlaceKind, RiskLevel, RoleKind, TeamType

CITY_NAME = "临江市"
CENTRE = (30.58, 114.30)
GRID_WIDTH_M, GRID_HEIGHT_M = 200.0, 150.0
# Space between districts, so their boundaries never touch.
DISTRICT_GAP_M = 300.0
# Points stay this share of a grid's half-size from its centre, well inside its rectangle.
INSIDE = 0.9
DISTRICT_NAMES = "江岸 滨湖 东湖 南湾 西城 北塘 临港 高新 老城 新华 青山 柳林 梅岭 桂园 云台 金沙 银湖 石桥 枫林 白沙".split()
TEAM_LABELS = {
    TeamType.RED_VOLUNTEER: "红色志愿队", TeamType.VOLUNTEER_POLICE: "义警巡逻队",
    TeamType.RAPID_RESPONSE: "联合快反队", TeamType.BUILDING_GUARD: "楼宇守护队",
    TeamType.ANTI_FRAUD: "反诈宣讲队", TeamType.RED_VEST: "红马甲队",
    TeamType.MERCHANT_CODEFENSE: "商户联防队", TeamType.SAFETY_OUTREACH: "平安宣防团",
    TeamType.PATROL_186: "186巡防队", TeamType.PROPERTY: "物业队", TeamType.SECURITY: "保安队",
    TeamType.POLICE_PATROL: "民警巡逻组", TeamType.JOINT_DUTY: "联勤小组", TeamType.COMMUNITY_CADRE: "社区干部队",
}
# Share of each kind among people who are not merchants, and the teams each kind joins.
ROLES: dict[RoleKind, tuple[float, list[TeamType]]] = {
    RoleKind.OFFICER: (0.06, [TeamType.POLICE_PATROL]),
    RoleKind.AUXILIARY: (0.10, [TeamType.JOINT_DUTY, TeamType.RAPID_RESPONSE]),
    RoleKind.GRID_WORKER: (0.12, [TeamType.COMMUNITY_CADRE, TeamType.JOINT_DUTY]),
    RoleKind.VOLUNTEER: (0.40, [TeamType.RED_VOLUNTEER, TeamType.VOLUNTEER_POLICE, TeamType.RED_VEST,
                                TeamType.ANTI_FRAUD, TeamType.BUILDING_GUARD, TeamType.SAFETY_OUTREACH]),
    RoleKind.SECURITY_GUARD: (0.08, [TeamType.SECURITY]),
    RoleKind.PROPERTY_STAFF: (0.06, [TeamType.PROPERTY]),
    RoleKind.PARTY_MEMBER: (0.10, [TeamType.RED_VOLUNTEER]),
    RoleKind.CADRE: (0.05, [TeamType.COMMUNITY_CADRE]),
    RoleKind.PATROL_186: (0.03, [TeamType.PATROL_186]),
}
SHOP_KINDS = {
    BusinessKind.RESTAURANT: (0.30, "餐馆"), BusinessKind.SNACK_STALL: (0.25, "小吃"), BusinessKind.BAR: (0.08, "酒吧"),
    BusinessKind.KTV: (0.03, "KTV"), BusinessKind.RETAIL: (0.18, "商店"), BusinessKind.HOTEL: (0.04, "酒店"),
    BusinessKind.CHESS_CARD: (0.03, "棋牌室"), BusinessKind.TRAVEL_AGENCY: (0.02, "旅行社"),
    BusinessKind.CULTURAL: (0.04, "文创店"), BusinessKind.OTHER: (0.03, "小店"),
}
POST_LABELS = {DutyPostKind.PARTY_POST: "党员值守点", DutyPostKind.SECURITY_KIOSK: "宣防岗亭",
               DutyPostKind.DUTY_POINT: "执勤点", DutyPostKind.OUTPOST: "平安前哨",
               DutyPostKind.POLICE_OFFICE: "警务室", DutyPostKind.TRAFFIC_POST: "路口岗"}
PLACE_LABELS = {PlaceKind.NIGHT_MARKET: "夜市", PlaceKind.BAR_STREET: "酒吧街", PlaceKind.LANE: "老巷",
                PlaceKind.COMMERCIAL: "商圈", PlaceKind.FOOD_STREET: "美食街", PlaceKind.SCENIC: "景点",
                PlaceKind.RESIDENTIAL: "小区", PlaceKind.PARKING: "停车场", PlaceKind.POLICE_STATION: "派出所"}


@dataclass
class City:
    """The standing city as tables in load order, with the columns later stages draw from."""

    tables: dict[str, draw.Table] = field(default_factory=dict)
    grid_district: np.ndarray = field(default_factory=lambda: np.empty(0, np.int64))
    grid_lat: np.ndarray = field(default_factory=lambda: np.empty(0))
    grid_lon: np.ndarray = field(default_factory=lambda: np.empty(0))
    # How busy each grid is at night; busy grids get more residents, shops, shifts and tips.
    grid_heat: np.ndarray = field(default_factory=lambda: np.empty(0))
    routes_per_grid: np.ndarray = field(default_factory=lambda: np.empty(0, np.int64))
    # Checkpoint row of every stop, route after route, and how many stops each route has.
    stop_checkpoint: np.ndarray = field(default_factory=lambda: np.empty(0, np.int64))
    stops_per_route: np.ndarray = field(default_factory=lambda: np.empty(0, np.int64))
    # Team leaders are people, so they are set once people exist: team id → person id.
    team_leaders: draw.Table = field(default_factory=dict)

    @property
    def checkpoints(self) -> draw.Table:
        """The checkpoint rows."""
        return self.tables["checkpoint"]

    @property
    def people(self) -> draw.Table:
        """The person rows."""
        return self.tables["person"]

    @property
    def shops(self) -> draw.Table:
        """The shop rows, grid after grid."""
        return self.tables["shop"]


def build_city(scale: Scale, seed: int, opened: np.datetime64) -> City:
    """Lay out the city and people it; `opened` is when its rows were created."""
    city = City()
    rng = draw.stream(seed, "geography")
    _lay_out(city, scale, rng, opened)

    def grids_of(total: int, minimum: int) -> np.ndarray:
        """The grid of each of `total` rows, grid after grid, busy grids taking more."""
        return np.repeat(np.arange(scale.grids), draw.apportion(total, city.grid_heat, minimum))

    checkpoints = _points(city, rng, grids_of(scale.checkpoints, 1), opened)
    within = draw.rank_within(checkpoints["grid_id"])
    names = [f"网格{g:03d}-{k + 1}号点" for g, k in zip(checkpoints["grid_id"].tolist(), within.tolist())]
    checkpoints["name"] = np.array(names, dtype=object)
    checkpoints["secret"] = np.array([rng.bytes(32).hex() for _ in range(scale.checkpoints)], dtype=object)
    checkpoints["active"] = np.ones(scale.checkpoints, dtype=bool)
    city.tables["checkpoint"] = checkpoints
    _routes(city, rng, grids_of(scale.routes, 1), opened)
    for name, count, labels in (("duty_post", scale.duty_posts, POST_LABELS),
                                ("place", scale.places, PLACE_LABELS)):
        grid = np.sort(rng.choice(scale.grids, count, p=city.grid_heat / city.grid_heat.sum()))
        rows = _points(city, rng, grid, opened)
        rows["kind"] = draw.choose(rng, list(labels), [1.0] * len(labels), count)
        rows["name"] = np.array([f"{labels[k]}{i}号" for k, i in zip(rows["kind"], rows["id"].tolist())],
                                dtype=object)
        if name == "duty_post":
            rows["active"] = np.ones(count, dtype=bool)
        city.tables[name] = rows
    _people_and_shops(city, scale, draw.stream(seed, "people"), grids_of(scale.patrollers, scale.crew_max),
                      grids_of(scale.shops, 0), opened)
    return city


def _lay_out(city: City, scale: Scale, rng: np.random.Generator, opened: np.datetime64) -> None:
    """Districts side by side in blocks, each block a lattice of adjacent rectangular grids."""
    per_district = draw.apportion(scale.grids, np.ones(scale.districts), 1)
    grid_cols = math.ceil(math.sqrt(per_district.max()))
    grid_rows = math.ceil(per_district.max() / grid_cols)
    block_w, block_h = grid_cols * GRID_WIDTH_M + DISTRICT_GAP_M, grid_rows * GRID_HEIGHT_M + DISTRICT_GAP_M
    district_cols = math.ceil(math.sqrt(scale.districts))
    district_rows = math.ceil(scale.districts / district_cols)
    d_row, d_col = np.divmod(np.arange(scale.districts), district_cols)
    d_east = (d_col - (district_cols - 1) / 2) * block_w
    d_north = ((district_rows - 1) / 2 - d_row) * block_h
    d_lat, d_lon = draw.offset(np.full(scale.districts, CENTRE[0]), np.full(scale.districts, CENTRE[1]),
                               d_north, d_east)
    city.tables["district"] = draw.table(
        id=np.arange(1, scale.districts + 1),
        name=np.array([f"{DISTRICT_NAMES[i % len(DISTRICT_NAMES)]}{i // len(DISTRICT_NAMES) or ''}区"
                       for i in range(scale.districts)], dtype=object),
        city=CITY_NAME, timezone=DEFAULT_TIMEZONE, center_lat=d_lat, center_lon=d_lon,
        boundary=[rectangle(a, b, block_w - DISTRICT_GAP_M, block_h - DISTRICT_GAP_M)
                  for a, b in zip(d_lat.tolist(), d_lon.tolist())],
        created_at=opened,
    )

    district = np.repeat(np.arange(scale.districts), per_district)
    g_row, g_col = np.divmod(draw.rank_within(district), grid_cols)
    g_east = d_east[district] + (g_col - (grid_cols - 1) / 2) * GRID_WIDTH_M
    g_north = d_north[district] + ((grid_rows - 1) / 2 - g_row) * GRID_HEIGHT_M
    city.grid_lat, city.grid_lon = draw.offset(np.full(scale.grids, CENTRE[0]), np.full(scale.grids, CENTRE[1]),
                                               g_north, g_east)
    city.grid_district = district
    city.grid_heat = rng.lognormal(0.0, 0.6, scale.grids)
    standing = {"officer": 1, "auxiliary": 2, "grid_worker": 3}  # 一警+两辅+三网格员; +N商户 once shops exist
    city.tables["grid"] = draw.table(
        id=np.arange(1, scale.grids + 1), district_id=district + 1,
        name=np.array([f"网格{g + 1:03d}" for g in range(scale.grids)], dtype=object),
        polygon=[rectangle(a, b, GRID_WIDTH_M, GRID_HEIGHT_M)
                 for a, b in zip(city.grid_lat.tolist(), city.grid_lon.tolist())],
        center_lat=city.grid_lat, center_lon=city.grid_lon,
        staffing_template=[dict(standing) for _ in range(scale.grids)],
        area_m2=GRID_WIDTH_M * GRID_HEIGHT_M, created_at=opened,
    )


def points_in(city: City, rng: np.random.Generator, grid: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Random points well inside the given grids (latitudes, longitudes)."""
    north = (rng.random(len(grid)) - 0.5) * INSIDE * GRID_HEIGHT_M
    east = (rng.random(len(grid)) - 0.5) * INSIDE * GRID_WIDTH_M
    return draw.offset(city.grid_lat[grid], city.grid_lon[grid], north, east)


def _points(city: City, rng: np.random.Generator, grid: np.ndarray, opened: np.datetime64) -> draw.Table:
    """Located rows, one per entry of `grid`, at random points inside their grids, with H3 cells."""
    n = len(grid)
    lat, lon = points_in(city, rng, grid)
    return draw.table(
        id=np.arange(1, n + 1), district_id=city.grid_district[grid] + 1, grid_id=grid + 1,
        lat=lat, lon=lon, cell=draw.cells(lat, lon), approximate=False, created_at=opened,
    )


def _routes(city: City, rng: np.random.Generator, grid: np.ndarray, opened: np.datetime64) -> None:
    """Routes per grid, each a loop through every checkpoint of its grid in its own order."""
    city.routes_per_grid = np.bincount(grid, minlength=len(city.grid_lat))
    cp_count = np.bincount(city.checkpoints["grid_id"] - 1, minlength=len(city.grid_lat))
    first_cp = draw.starts_of(cp_count)
    city.stop_checkpoint = np.concatenate([first_cp[g] + rng.permutation(cp_count[g]) for g in grid.tolist()])
    city.stops_per_route = cp_count[grid]
    route = np.repeat(np.arange(len(grid)), city.stops_per_route)
    position = draw.rank_within(route)
    within = draw.rank_within(grid)
    city.tables["route"] = draw.table(
        id=np.arange(1, len(grid) + 1), district_id=city.grid_district[grid] + 1, grid_id=grid + 1,
        name=np.array([f"网格{g + 1:03d}巡线{k + 1}" for g, k in zip(grid.tolist(), within.tolist())], dtype=object),
        active=True, created_at=opened,
    )
    city.tables["route_stop"] = draw.table(
        route_id=route + 1, position=position + 1, checkpoint_id=city.stop_checkpoint + 1,
        minutes_from_previous=np.where(position == 0, 0, rng.integers(3, 13, len(route))),
    )


def _people_and_shops(city: City, scale: Scale, rng: np.random.Generator, patroller_grid: np.ndarray,
                      shop_grid: np.ndarray, opened: np.datetime64) -> None:
    """Teams of every type per district; patrollers by home grid; shops, some with a merchant co-defender."""
    team_types = list(TeamType)
    city.tables["team"] = draw.table(
        id=np.arange(1, scale.districts * len(team_types) + 1),
        district_id=np.repeat(np.arange(1, scale.districts + 1), len(team_types)),
        name=np.array([TEAM_LABELS.get(t, str(t)) for t in team_types] * scale.districts, dtype=object),
        team_type=np.array([str(t) for t in team_types] * scale.districts, dtype=object),
        base_lat=np.repeat(city.tables["district"]["center_lat"], len(team_types)),
        base_lon=np.repeat(city.tables["district"]["center_lon"], len(team_types)),
        swap_needs_approval=True, active=True, created_at=opened,
    )

    shops = _points(city, rng, shop_grid, opened)
    kind = draw.choose(rng, list(SHOP_KINDS), [w for w, _ in SHOP_KINDS.values()], scale.shops)
    codefending = np.sort(rng.choice(scale.shops, scale.merchants, replace=False))
    role = np.concatenate((draw.choose(rng, list(ROLES), [w for w, _ in ROLES.values()], scale.patrollers),
                           np.full(scale.merchants, str(RoleKind.MERCHANT), dtype=object)))
    home = np.concatenate((patroller_grid, shop_grid[codefending]))
    # Shuffle, so person ids do not sort by role or grid.
    order = rng.permutation(scale.people)
    role, home = role[order], home[order]
    team_type = [ROLES[r][1][int(u * len(ROLES[r][1]))] if r in ROLES else TeamType.MERCHANT_CODEFENSE
                 for r, u in zip(role.tolist(), rng.random(scale.people).tolist())]
    type_index = {t: i for i, t in enumerate(team_types)}
    team = city.grid_district[home] * len(team_types) + np.array([type_index[t] for t in team_type])
    active = rng.random(scale.people) < 0.97
    party = rng.random(scale.people) < 0.15
    city.tables["person"] = draw.table(
        id=np.arange(1, scale.people + 1), district_id=city.grid_district[home] + 1, team_id=team + 1,
        home_grid_id=home + 1, name=draw.names(rng, scale.people), phone=draw.phones(rng, 0, scale.people),
        role_kind=role,
        skills=[["party_member"] if r == RoleKind.VOLUNTEER and p else []
                for r, p in zip(role.tolist(), party.tolist())],
        active=active, created_at=opened + rng.integers(0, 30 * 86_400, scale.people).astype("timedelta64[s]"),
    )
    # The lowest-numbered active member leads each team.
    leader = np.full(len(team_types) * scale.districts, scale.people)
    np.minimum.at(leader, team[active], np.nonzero(active)[0])
    led = np.nonzero(leader < scale.people)[0]
    city.team_leaders = draw.table(id=led + 1, leader_id=leader[led] + 1)

    # Merchants came last before the shuffle, in the order of the shops they speak for.
    merchant_of_shop = np.full(scale.shops, -1)
    merchant_of_shop[codefending] = np.argsort(order)[scale.patrollers:]
    shops["name"] = np.array([f"{draw.SURNAMES[i % len(draw.SURNAMES)]}记{SHOP_KINDS[k][1]}{i}号"
                              for k, i in zip(kind.tolist(), shops["id"].tolist())], dtype=object)
    shops["owner_name"] = draw.names(rng, scale.shops)
    shops["owner_phone"] = draw.phones(rng, scale.people, scale.shops)
    shops["business_kind"] = kind
    shops["address"] = np.array([f"{CITY_NAME}网格{g:03d}{i}号" for g, i in zip(shops["grid_id"].tolist(),
                                                                              shops["id"].tolist())], dtype=object)
    shops["risk_level"] = draw.choose(rng, list(RiskLevel), [0.7, 0.25, 0.05], scale.shops)
    shops["is_codefender"] = merchant_of_shop >= 0
    shops["codefender_id"] = draw.ids(merchant_of_shop)
    checks = rng.random((scale.shops, 3)) < (0.9, 0.7, 0.4)
    shops["safety_checklist"] = [{"extinguisher": a, "camera": b, "alarm_button": c}
                                 for a, b, c in checks.tolist()]
    city.tables["shop"] = shops
    codefenders = np.bincount(shop_grid[codefending], minlength=scale.grids)
    for template, merchants in zip(city.tables["grid"]["staffing_template"], codefenders.tolist()):
        template["merchant"] = merchants
