"""Geography services on SQLite and PostgreSQL: grids cut, imported and exported; points; routes and posters."""
from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import func, select

from db.models import AuditEvent, Checkpoint, District, Grid, Place
from nightwatch import i18n
from nightwatch.access import Actor, Forbidden
from nightwatch.coords import Datum, from_wgs84
from nightwatch.geo import cell_of, haversine_m, rectangle
from nightwatch.services import geography, geography_lists, grids, points, routes
from nightwatch.services.geography import GeographyRefused
from nightwatch.services.points import PointKind
from nightwatch.signing import verify_checkpoint
from nightwatch.vocab import AccountRole, DutyPostKind, PlaceKind


def all_grids(**where) -> list[grids.GridRow]:
    """Every grid of a district, as the geography page lists them."""
    return geography_lists.grid_page(**where, limit=None).rows


def all_points(**where) -> list[points.PointRow]:
    """Every point of one kind in a district, as the geography page lists them."""
    return geography_lists.point_page(**where, limit=None).rows


def all_routes(**where) -> list[routes.RouteRow]:
    """Every route of a district, as the geography page lists them."""
    return geography_lists.route_page(**where, limit=None).rows


ROOT = Path(__file__).resolve().parent.parent
# Guilin 东西巷 (about 292 m × 100 m) and 襄阳 襄城区.
DONGXI = (25.2847, 110.2965)
TEMPLATE = {"officer": 1, "auxiliary": 2, "grid_worker": 3, "merchant": 6}


@pytest.fixture
def places(session_factory):
    """Two districts with boundaries; returns (factory, district a, district b)."""
    with session_factory.begin() as session:
        a = District(name="东西巷", city="桂林", boundary=rectangle(*DONGXI, 292, 100))
        b = District(name="襄城区", city="襄阳", boundary=rectangle(32.0106, 112.1360, 600, 400))
        session.add_all([a, b])
        session.flush()
        return session_factory, a.id, b.id


def coordinator(*districts: int) -> Actor:
    return Actor(account_id=None, login="wang", role=AccountRole.COORDINATOR, district_ids=frozenset(districts))


ADMIN = Actor(login="chief", role=AccountRole.ADMIN)


def count(factory, model, **where) -> int:
    with factory() as session:
        query = select(func.count()).select_from(model)
        for column, value in where.items():
            query = query.where(getattr(model, column) == value)
        return session.scalar(query)


def actions(factory) -> list[str]:
    with factory() as session:
        return list(session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def test_cutting_the_boundary_makes_numbered_grids_with_the_template_and_audits_it(places):
    factory, a, _ = places
    me = coordinator(a)
    made = grids.cut_grids(session_factory=factory, actor=me, district_id=a, count=5, staffing=TEMPLATE)
    rows = all_grids(session_factory=factory, actor=me, district_id=a)
    assert [r.id for r in rows] == made
    assert [r.name for r in rows] == [f"{n}号网格" for n in range(1, 6)]
    assert all(r.staffing == TEMPLATE for r in rows)
    assert sum(r.area_m2 for r in rows) == pytest.approx(29_200, rel=0.01)
    assert actions(factory) == ["grid.cut"]
    # Adding carries the numbering on; replacing starts again.
    grids.cut_grids(session_factory=factory, actor=me, district_id=a, count=2)
    assert [r.name for r in all_grids(session_factory=factory, actor=me, district_id=a)][-2:] == ["6号网格", "7号网格"]
    grids.cut_grids(session_factory=factory, actor=me, district_id=a, count=3, hexagons=True, replace=True)
    hexes = all_grids(session_factory=factory, actor=me, district_id=a)
    assert hexes and hexes[0].name == "1号网格" and all(r.staffing == {} for r in hexes)
    with factory() as session:
        assert all(len(g.polygon["coordinates"][0]) == 7 for g in session.scalars(select(Grid)))


def test_a_pasted_rectangle_can_be_cut_when_there_is_no_boundary(places):
    factory, a, _ = places
    with factory.begin() as session:
        session.get(District, a).boundary = None
    with pytest.raises(GeographyRefused) as refused:
        grids.cut_grids(session_factory=factory, actor=ADMIN, district_id=a, count=4)
    assert refused.value.key == "geography.no_boundary"
    area = geography.pasted_rectangle(*from_wgs84(*DONGXI, Datum.GCJ02), Datum.GCJ02, 200, 200)
    assert len(grids.cut_grids(session_factory=factory, actor=ADMIN, district_id=a, count=4, area=area)) == 4


def test_a_pasted_gcj02_point_is_stored_as_wgs84_within_a_metre_with_its_cell_and_grid(places):
    factory, a, _ = places
    me = coordinator(a)
    grids.cut_grids(session_factory=factory, actor=me, district_id=a, count=5)
    gcj = from_wgs84(*DONGXI, Datum.GCJ02)
    assert haversine_m(*gcj, *DONGXI) > 100  # the offset is real
    pid = points.add_point(session_factory=factory, actor=me, district_id=a, kind=PointKind.PLACE, name="东西巷夜市",
                           lat=gcj[0], lon=gcj[1], datum=Datum.GCJ02, subtype=PlaceKind.NIGHT_MARKET)
    with factory() as session:
        place = session.get(Place, pid)
        assert haversine_m(place.lat, place.lon, *DONGXI) < 1.0
        assert place.cell == cell_of(place.lat, place.lon) and place.grid_id is not None
    bd = from_wgs84(*DONGXI, Datum.BD09)
    post = points.add_point(session_factory=factory, actor=me, district_id=a, kind=PointKind.POST, name="岗亭",
                            lat=bd[0], lon=bd[1], datum="bd09", subtype=DutyPostKind.SECURITY_KIOSK)
    row = next(r for r in all_points(session_factory=factory, actor=me, district_id=a, kind=PointKind.POST)
               if r.id == post)
    assert haversine_m(row.lat, row.lon, *DONGXI) < 1.0 and row.grid == "3号网格"
    assert actions(factory)[-2:] == ["place.create", "duty_post.create"]


@pytest.mark.parametrize("lat, lon, key", [
    (float("nan"), 110.0, "coords.not_finite"), (95.0, 110.0, "coords.out_of_range"), ("x", 110.0, "coords.not_a_number"),
])
def test_a_bad_point_is_refused_and_writes_nothing(places, lat, lon, key):
    factory, a, _ = places
    with pytest.raises(GeographyRefused) as refused:
        points.add_point(session_factory=factory, actor=coordinator(a), district_id=a, kind=PointKind.CHECKPOINT,
                         name="北口", lat=lat, lon=lon)
    assert refused.value.key == key and count(factory, Checkpoint) == 0 and actions(factory) == []


def test_export_then_import_into_another_district_gives_the_same_grids(places):
    factory, a, b = places
    grids.cut_grids(session_factory=factory, actor=ADMIN, district_id=a, count=6, staffing=TEMPLATE)
    first = all_grids(session_factory=factory, actor=ADMIN, district_id=a)
    grids.edit_grid(session_factory=factory, actor=ADMIN, grid_id=first[0].id, name="东口网格",
                    staffing={"officer": 2, "merchant": 9})
    points.add_point(session_factory=factory, actor=ADMIN, district_id=a, kind=PointKind.CHECKPOINT, name="北口",
                     lat=DONGXI[0], lon=DONGXI[1])
    exported = grids.export_geojson(session_factory=factory, actor=ADMIN, district_id=a)
    layers = [f["properties"]["layer"] for f in json.loads(exported)["features"]]
    assert layers == ["district", *["grid"] * 6, "checkpoint"]
    grids.import_grids(session_factory=factory, actor=ADMIN, district_id=b, text=exported)
    with factory() as session:
        def shape(district_id):
            return [(g.name, g.polygon, g.staffing_template, g.area_m2) for g in
                    session.scalars(select(Grid).where(Grid.district_id == district_id).order_by(Grid.id))]
        assert shape(b) == shape(a) and shape(a)[0][0] == "东口网格"


def test_the_export_holds_routes_as_lines_and_never_a_secret(places):
    factory, a, _ = places
    me = coordinator(a)
    ids = [points.add_point(session_factory=factory, actor=me, district_id=a, kind=PointKind.CHECKPOINT,
                            name=f"{n}号点", lat=DONGXI[0] + n / 10_000, lon=DONGXI[1]) for n in range(3)]
    routes.save_route(session_factory=factory, actor=me, district_id=a, name="夜巡一线",
                      stops=[(i, 4) for i in ids])
    exported = grids.export_geojson(session_factory=factory, actor=me, district_id=a)
    with factory() as session:
        secrets = list(session.scalars(select(Checkpoint.secret)))
    assert not any(secret in exported for secret in secrets) and "secret" not in exported
    line = next(f for f in json.loads(exported)["features"] if f["properties"]["layer"] == "route")
    assert line["geometry"]["type"] == "LineString" and len(line["geometry"]["coordinates"]) == 3
    assert line["properties"]["minutes"] == [0, 4, 4]


@pytest.mark.parametrize("features, key", [
    ([("A", True), ("B", False)], "geojson.unclosed_ring"),
    ([("A", True), ("A", True)], "geography.duplicate_grid"),
    ([("1号网格", True)], "geography.grid_taken"),
], ids=["bad-ring", "duplicate", "taken"])
def test_a_rejected_import_writes_nothing(places, features, key):
    factory, a, _ = places
    grids.cut_grids(session_factory=factory, actor=ADMIN, district_id=a, count=2)
    before = actions(factory)
    doc = {"type": "FeatureCollection", "features": []}
    for name, closed in features:
        ring = rectangle(*DONGXI, 50, 50)["coordinates"][0]
        doc["features"].append({"type": "Feature", "properties": {"name": name},
                                "geometry": {"type": "Polygon", "coordinates": [ring if closed else ring[:-1]]}})
    with pytest.raises(GeographyRefused) as refused:
        grids.import_grids(session_factory=factory, actor=ADMIN, district_id=a, text=json.dumps(doc))
    assert refused.value.key == key
    assert count(factory, Grid) == 2 and actions(factory) == before


def test_a_rejected_replacing_import_keeps_the_old_grids(places):
    factory, a, _ = places
    grids.cut_grids(session_factory=factory, actor=ADMIN, district_id=a, count=3)
    with pytest.raises(GeographyRefused):
        grids.import_grids(session_factory=factory, actor=ADMIN, district_id=a, text="{not json", replace=True)
    with pytest.raises(GeographyRefused):
        grids.import_grids(session_factory=factory, actor=ADMIN, district_id=a, replace=True,
                           text=json.dumps({"type": "FeatureCollection", "features": [
                               {"type": "Feature", "properties": {}, "geometry": {"type": "Point", "coordinates": [1, 2]}}]}))
    assert count(factory, Grid) == 3


def test_a_coordinator_of_another_district_and_a_volunteer_are_refused(places):
    factory, a, b = places
    grids.cut_grids(session_factory=factory, actor=ADMIN, district_id=a, count=2)
    grid_id = all_grids(session_factory=factory, actor=ADMIN, district_id=a)[0].id
    before = actions(factory)
    other = coordinator(b)
    volunteer = Actor(login="li", role=AccountRole.VOLUNTEER, district_ids=frozenset({a}))
    attempts = [
        lambda who: grids.cut_grids(session_factory=factory, actor=who, district_id=a, count=2),
        lambda who: grids.edit_grid(session_factory=factory, actor=who, grid_id=grid_id, name="x", staffing={}),
        lambda who: grids.delete_grid(session_factory=factory, actor=who, grid_id=grid_id),
        lambda who: grids.export_geojson(session_factory=factory, actor=who, district_id=a),
        lambda who: points.add_point(session_factory=factory, actor=who, district_id=a, kind=PointKind.CHECKPOINT,
                                     name="x", lat=DONGXI[0], lon=DONGXI[1]),
        lambda who: geography.edit_district(session_factory=factory, actor=who, district_id=a, name="x", city="y",
                                            province=None, timezone="Asia/Shanghai", note=None),
        lambda who: geography.create_district(session_factory=factory, actor=who, name="新区", city="桂林"),
    ]
    for who in (other, volunteer):
        for attempt in attempts:
            with pytest.raises(Forbidden):
                attempt(who)
    with pytest.raises(Forbidden):  # a coordinator's new district would be outside their scope
        geography.create_district(session_factory=factory, actor=coordinator(a), name="新区", city="桂林")
    assert count(factory, Grid) == 2 and count(factory, District) == 2 and actions(factory) == before


def test_rotating_a_secret_makes_the_old_poster_signature_fail(places):
    factory, a, _ = places
    me = coordinator(a)
    ids = [points.add_point(session_factory=factory, actor=me, district_id=a, kind=PointKind.CHECKPOINT,
                            name=name, lat=DONGXI[0], lon=DONGXI[1] + n / 5_000) for n, name in enumerate("甲乙")]
    route = routes.save_route(session_factory=factory, actor=me, district_id=a, name="一线", stops=[(ids[0], 0), (ids[1], 6)])
    sheet = routes.route_posters(session_factory=factory, actor=me, route_id=route, base_url="https://nw.example.cn/geography")
    url = urlsplit(sheet.items[0].url)
    assert (url.scheme, url.netloc, url.path) == ("https", "nw.example.cn", "/checkin")
    query = parse_qs(url.query)
    old_sig, cp = query["sig"][0], int(query["cp"][0])

    def secret() -> str:
        with factory() as session:
            return session.get(Checkpoint, cp).secret

    assert cp == ids[0] and verify_checkpoint(cp, secret(), old_sig)
    points.rotate_secret(session_factory=factory, actor=me, checkpoint_id=cp)
    assert not verify_checkpoint(cp, secret(), old_sig)
    assert actions(factory)[-1] == "checkpoint.secret_rotated"
    html = routes.poster_sheet_html(sheet, "zh-CN")
    assert html.count("<img") == 2 and "甲" in html
    assert routes.poster_png(sheet, ids[1]).startswith(b"\x89PNG")
    with pytest.raises(GeographyRefused):
        routes.route_posters(session_factory=factory, actor=me, route_id=route, base_url="javascript:alert(1)")


def test_routes_are_ordered_and_edited_and_refuse_foreign_or_too_few_stops(places):
    factory, a, b = places
    me = coordinator(a, b)
    here = [points.add_point(session_factory=factory, actor=me, district_id=a, kind=PointKind.CHECKPOINT,
                             name=f"点{n}", lat=DONGXI[0], lon=DONGXI[1]) for n in range(3)]
    there = points.add_point(session_factory=factory, actor=me, district_id=b, kind=PointKind.CHECKPOINT,
                             name="别处", lat=32.0106, lon=112.1360)
    rid = routes.save_route(session_factory=factory, actor=me, district_id=a, name="线", stops=[(here[2], 9), (here[0], 5)])
    routes.save_route(session_factory=factory, actor=me, district_id=a, name="线路", route_id=rid,
                      stops=[(here[0], 0), (here[1], 3), (here[2], 7)], active=False)
    (row,) = all_routes(session_factory=factory, actor=me, district_id=a)
    assert (row.name, row.active, [s.name for s in row.stops], row.total_minutes) == ("线路", False, ["点0", "点1", "点2"], 10)
    for stops, key in [([(here[0], 0)], "geography.route_too_short"), ([(here[0], 0), (there, 5)], "geography.route_foreign_stop"),
                       ([(here[0], 0), (here[1], -1)], "geography.bad_minutes")]:
        with pytest.raises(GeographyRefused) as refused:
            routes.save_route(session_factory=factory, actor=me, district_id=a, name="新线", stops=stops)
        assert refused.value.key == key
    assert actions(factory).count("route.create") == 1


def test_points_edit_deactivate_and_only_places_are_deleted(places):
    factory, a, _ = places
    me = coordinator(a)
    cp = points.add_point(session_factory=factory, actor=me, district_id=a, kind=PointKind.CHECKPOINT,
                          name="北口", lat=DONGXI[0], lon=DONGXI[1])
    points.edit_point(session_factory=factory, actor=me, kind=PointKind.CHECKPOINT, point_id=cp, name="北门",
                      lat=DONGXI[0] + 0.001, lon=DONGXI[1], active=False)
    (row,) = all_points(session_factory=factory, actor=me, district_id=a, kind=PointKind.CHECKPOINT)
    assert (row.name, row.active, row.lat) == ("北门", False, pytest.approx(DONGXI[0] + 0.001))
    with pytest.raises(GeographyRefused) as refused:
        points.delete_point(session_factory=factory, actor=me, kind=PointKind.CHECKPOINT, point_id=cp)
    assert refused.value.key == "geography.deactivate_instead"
    place = points.add_point(session_factory=factory, actor=me, district_id=a, kind=PointKind.PLACE, name="夜市",
                             lat=DONGXI[0], lon=DONGXI[1], subtype="night_market", address="东西巷 1 号")
    with pytest.raises(GeographyRefused) as refused:
        points.add_point(session_factory=factory, actor=me, district_id=a, kind=PointKind.PLACE, name="夜市",
                         lat=DONGXI[0], lon=DONGXI[1], subtype="night_market")
    assert refused.value.key == "geography.name_taken"
    points.delete_point(session_factory=factory, actor=me, kind=PointKind.PLACE, point_id=place)
    assert count(factory, Place) == 0 and actions(factory)[-1] == "place.delete"


def test_districts_are_created_and_edited_by_administrators_with_a_boundary_by_coordinators(places):
    factory, _, _ = places
    new = geography.create_district(session_factory=factory, actor=ADMIN, name="西湖区", city="南昌")
    with pytest.raises(GeographyRefused) as refused:
        geography.create_district(session_factory=factory, actor=ADMIN, name="西湖区", city="南昌")
    assert refused.value.key == "geography.district_taken"
    with pytest.raises(GeographyRefused):
        geography.edit_district(session_factory=factory, actor=ADMIN, district_id=new, name="西湖区", city="南昌",
                                province="江西", timezone="Mars/Olympus", note=None)
    geography.set_boundary(session_factory=factory, actor=coordinator(new), district_id=new,
                           polygon=geography.pasted_rectangle(28.68, 115.89, Datum.WGS84, 500, 300))
    info = geography.describe(session_factory=factory, actor=coordinator(new), district_id=new)
    assert info.has_boundary and info.boundary_area_m2 == pytest.approx(150_000, rel=0.01)
    assert info.center_lat == pytest.approx(28.68)
    with pytest.raises(GeographyRefused) as refused:
        geography.pasted_rectangle(28.68, 115.89, Datum.WGS84, 5, 300)
    assert refused.value.key == "geography.size_range"
    assert actions(factory) == ["district.create", "district.boundary"]


def test_staffing_templates_refuse_unknown_roles_and_bad_counts(places):
    factory, a, _ = places
    grids.cut_grids(session_factory=factory, actor=ADMIN, district_id=a, count=1)
    grid_id = all_grids(session_factory=factory, actor=ADMIN, district_id=a)[0].id
    for staffing, key in [({"wizard": 1}, "geography.bad_role"), ({"officer": -1}, "geography.bad_count"),
                          ({"officer": True}, "geography.bad_count")]:
        with pytest.raises(GeographyRefused) as refused:
            grids.edit_grid(session_factory=factory, actor=ADMIN, grid_id=grid_id, name="1号网格", staffing=staffing)
        assert refused.value.key == key


def test_every_refusal_key_and_audit_action_reads_as_words():
    sources = [ROOT / "nightwatch" / "services" / f"{name}.py" for name in ("geography", "grids", "points", "routes")]
    text = "\n".join(path.read_text("utf-8") for path in sources)
    keys = set(re.findall(r'Refused\("([a-z_]+\.[a-z_]+)"', text))
    assert keys and not keys - set(i18n.CATALOGS["zh-CN"])
    literal = set(re.findall(r'record\(session, actor, "([a-z_.]+)"', text))
    templated = {f"{kind.value}.{verb}" for kind in PointKind for verb in ("create", "edit", "delete")} - {
        "duty_post.delete", "checkpoint.delete"}
    assert not {f"action.{a}" for a in literal | templated} - set(i18n.CATALOGS["en"])
