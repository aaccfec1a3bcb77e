"""Posting, adding to, logging and reading tips, on SQLite and PostgreSQL."""
from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import func, select
from sqlalchemy.orm import sessionmaker

from db.models import Account, AuditEvent, District, Grid, Shop, Tip, TipFollower
from nightwatch import geo
from nightwatch.access import Actor, Forbidden
from nightwatch.nights import duty_date_of
from nightwatch.services import tips
from nightwatch.services.tips import TipRefused, Where
from nightwatch.vocab import (
    AccountRole,
    BusinessKind,
    TipCategory,
    TipSource,
    TipStatus,
    Urgency,
)

NOW = datetime(2026, 6, 13, 14, 0, tzinfo=UTC)  # 22:00 in Guilin
LAT, LON = 25.2800, 110.2960


@dataclass(frozen=True)
class World:
    """Two merchants of one district, one of another, a coordinator and a volunteer."""

    district: int
    grid: int
    shop: int
    merchant: Actor
    neighbour: Actor  # a shop 50 m away
    stranger: Actor  # a merchant of another district
    coordinator: Actor
    volunteer: Actor


def _account(session, login: str, role: AccountRole, shop_id: int | None = None) -> int:
    account = Account(login=login, role=role, shop_id=shop_id)
    session.add(account)
    session.flush()
    return account.id


@pytest.fixture
def world(session_factory: sessionmaker) -> World:
    """A small district with a grid around the shops."""
    with session_factory.begin() as session:
        here = District(name="东西巷", city="桂林", center_lat=LAT, center_lon=LON)
        there = District(name="襄城区", city="襄阳", center_lat=32.01, center_lon=112.15)
        session.add_all([here, there])
        session.flush()
        grid = Grid(district_id=here.id, name="一号网格", polygon=geo.rectangle(LAT, LON, 400, 400))
        session.add(grid)
        near_lat, near_lon = geo.offset_point(LAT, LON, 50, 0)
        shops = [Shop(district_id=here.id, name="米粉店", business_kind=BusinessKind.RESTAURANT, lat=LAT, lon=LON),
                 Shop(district_id=here.id, name="酒吧", business_kind=BusinessKind.BAR, lat=near_lat, lon=near_lon),
                 Shop(district_id=there.id, name="茶馆", business_kind=BusinessKind.OTHER, lat=32.01, lon=112.15)]
        session.add_all(shops)
        session.flush()
        merchant = _account(session, "m-one", AccountRole.MERCHANT, shops[0].id)
        neighbour = _account(session, "m-two", AccountRole.MERCHANT, shops[1].id)
        stranger = _account(session, "m-far", AccountRole.MERCHANT, shops[2].id)
        coordinator = _account(session, "coord", AccountRole.COORDINATOR)
        volunteer = _account(session, "vol", AccountRole.VOLUNTEER)
        return World(
            here.id, grid.id, shops[0].id,
            Actor(merchant, "m-one", AccountRole.MERCHANT, frozenset({here.id}), shop_id=shops[0].id),
            Actor(neighbour, "m-two", AccountRole.MERCHANT, frozenset({here.id}), shop_id=shops[1].id),
            Actor(stranger, "m-far", AccountRole.MERCHANT, frozenset({there.id}), shop_id=shops[2].id),
            Actor(coordinator, "coord", AccountRole.COORDINATOR, frozenset({here.id})),
            Actor(volunteer, "vol", AccountRole.VOLUNTEER, frozenset({here.id})),
        )


def _post(session_factory, actor: Actor, tmp_path: Path, **changes) -> int:
    values = dict(category=TipCategory.THEFT, text="有人翻包", urgency=Urgency.HIGH, where=None,
                  anonymous=False, idempotency_key=None, photo=None, now=NOW, upload_dir=tmp_path / "uploads")
    values.update(changes)
    return tips.post_tip(session_factory=session_factory, actor=actor, **values)


def _count(session_factory, model) -> int:
    with session_factory() as session:
        return session.scalar(select(func.count()).select_from(model))


def test_a_tip_is_posted_at_the_shop(session_factory, world, tmp_path):
    tip_id = _post(session_factory, world.merchant, tmp_path)
    with session_factory() as session:
        tip = session.get(Tip, tip_id)
        assert (tip.lat, tip.lon, tip.cell) == (LAT, LON, geo.cell_of(LAT, LON))
        assert (tip.shop_id, tip.grid_id, tip.district_id) == (world.shop, world.grid, world.district)
        assert tip.status is TipStatus.RECEIVED and tip.source is TipSource.MERCHANT_APP
        assert tip.received_at == NOW and tip.duty_date == duty_date_of(NOW)
        assert tip.location_note == "米粉店"
        assert session.scalar(select(AuditEvent.action).where(AuditEvent.entity_id == tip_id)) == "tip.post"


def test_a_picked_point_is_kept_and_a_far_one_refused(session_factory, world, tmp_path):
    lat, lon = geo.offset_point(LAT, LON, 30, 30)
    tip_id = _post(session_factory, world.merchant, tmp_path, where=Where(lat, lon, "map", "巷口"))
    with session_factory() as session:
        assert (session.get(Tip, tip_id).lat, session.get(Tip, tip_id).location_note) == (lat, "巷口")
    with pytest.raises(TipRefused) as refused:
        _post(session_factory, world.merchant, tmp_path, where=Where(LAT + 1, LON, "address", "远处"))
    assert refused.value.key == "tips.where_too_far"


def test_the_same_key_twice_makes_one_tip(session_factory, world, tmp_path):
    first = _post(session_factory, world.merchant, tmp_path, idempotency_key="k" * 32)
    again = _post(session_factory, world.merchant, tmp_path, idempotency_key="k" * 32, text="重发")
    assert first == again
    assert _count(session_factory, Tip) == 1
    with pytest.raises(Forbidden):
        _post(session_factory, world.neighbour, tmp_path, idempotency_key="k" * 32)


def test_refusals_write_nothing(session_factory, world, tmp_path):
    for bad in ({"text": "字" * 501}, {"idempotency_key": "short"}, {"where": Where(None, None, "map")},
                {"photo": b"not a picture"}):
        with pytest.raises(TipRefused):
            _post(session_factory, world.merchant, tmp_path, **bad)
    with pytest.raises(Forbidden):
        _post(session_factory, world.volunteer, tmp_path)
    assert _count(session_factory, Tip) == 0 and _count(session_factory, AuditEvent) == 0
    assert not list((tmp_path / "uploads").rglob("*.*"))


def test_a_photo_is_stored_clean_under_a_random_name(session_factory, world, tmp_path):
    out = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(out, "JPEG")
    tip_id = _post(session_factory, world.merchant, tmp_path, photo=out.getvalue())
    with session_factory() as session:
        path = session.get(Tip, tip_id).photo_path
    assert path.startswith("tips/") and path.endswith(".jpg") and len(Path(path).stem) == 32
    assert (tmp_path / "uploads" / path).exists()


def test_a_photo_with_a_tip_refused_or_already_sent_is_not_kept(session_factory, world, tmp_path):
    out = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(out, "JPEG")
    # The photo is cleaned and stored before the shop is read, so these refusals come after it was written.
    with pytest.raises(TipRefused):
        _post(session_factory, world.merchant, tmp_path, photo=out.getvalue(),
              where=Where(LAT + 1, LON, "address", "远处"))
    first = _post(session_factory, world.merchant, tmp_path, idempotency_key="p" * 32, photo=out.getvalue())
    again = _post(session_factory, world.merchant, tmp_path, idempotency_key="p" * 32, photo=out.getvalue())
    assert first == again and _count(session_factory, Tip) == 1
    assert len(list((tmp_path / "uploads").rglob("*.*"))) == 1


def test_similar_tips_within_100_m_and_15_minutes(session_factory, world, tmp_path):
    near = _post(session_factory, world.merchant, tmp_path, now=NOW - timedelta(minutes=10))
    far_lat, far_lon = geo.offset_point(LAT, LON, 150, 0)
    _post(session_factory, world.merchant, tmp_path, where=Where(far_lat, far_lon, "map"))
    _post(session_factory, world.merchant, tmp_path, now=NOW - timedelta(minutes=20))
    _post(session_factory, world.stranger, tmp_path)
    found = tips.similar_open_tips(session_factory=session_factory, actor=world.neighbour, lat=LAT, lon=LON, now=NOW)
    assert [(tip.id, tip.mine) for tip in found] == [(near, False)]
    [own] = tips.similar_open_tips(session_factory=session_factory, actor=world.merchant, lat=LAT, lon=LON, now=NOW)
    assert (own.id, own.mine) == (near, True)
    other = tips.similar_open_tips(session_factory=session_factory, actor=world.neighbour, lat=LAT, lon=LON,
                                   category=TipCategory.NOISE, now=NOW)
    assert other == []


def test_adding_to_a_similar_tip(session_factory, world, tmp_path):
    tip_id = _post(session_factory, world.merchant, tmp_path, now=NOW - timedelta(minutes=5))
    follower = tips.add_to_tip(session_factory=session_factory, actor=world.neighbour, tip_id=tip_id,
                               note="我也看到了", now=NOW)
    assert tips.add_to_tip(session_factory=session_factory, actor=world.neighbour, tip_id=tip_id, now=NOW) == follower
    assert _count(session_factory, TipFollower) == 1
    followed = tips.my_tips(session_factory=session_factory, actor=world.neighbour)
    assert [(view.id, view.following, view.text) for view in followed] == [(tip_id, True, "")]
    with pytest.raises(Forbidden):
        tips.add_to_tip(session_factory=session_factory, actor=world.stranger, tip_id=tip_id, now=NOW)
    with pytest.raises(TipRefused) as late:
        tips.add_to_tip(session_factory=session_factory, actor=world.neighbour, tip_id=tip_id,
                        now=NOW + timedelta(minutes=30))
    assert late.value.key == "tips.too_old_to_add"


def test_a_closed_tip_takes_no_followers(session_factory, world, tmp_path):
    tip_id = _post(session_factory, world.merchant, tmp_path)
    with session_factory.begin() as session:
        session.get(Tip, tip_id).status = TipStatus.REFERRED
    with pytest.raises(TipRefused) as refused:
        tips.add_to_tip(session_factory=session_factory, actor=world.neighbour, tip_id=tip_id, now=NOW)
    assert refused.value.key == "tips.not_open"


def test_anonymous_hides_the_reporter_from_all_but_coordinators(session_factory, world, tmp_path):
    tip_id = _post(session_factory, world.merchant, tmp_path, anonymous=True)
    tips.add_to_tip(session_factory=session_factory, actor=world.neighbour, tip_id=tip_id, now=NOW)
    seen_by = {name: tips.tip_detail(session_factory=session_factory, actor=actor, tip_id=tip_id)
               for name, actor in (("coordinator", world.coordinator), ("reporter", world.merchant),
                                   ("follower", world.neighbour))}
    assert seen_by["coordinator"].reporter == "米粉店"
    assert seen_by["reporter"].reporter == "米粉店"
    assert seen_by["follower"].reporter is None and seen_by["follower"].text == ""


def test_a_forged_request_for_another_merchants_tip_is_refused(session_factory, world, tmp_path):
    tip_id = _post(session_factory, world.merchant, tmp_path)
    for actor in (world.neighbour, world.stranger, world.volunteer):
        with pytest.raises(Forbidden):
            tips.tip_detail(session_factory=session_factory, actor=actor, tip_id=tip_id)
    assert tips.tip_detail(session_factory=session_factory, actor=world.merchant, tip_id=tip_id).text == "有人翻包"
    assert tips.my_tips(session_factory=session_factory, actor=world.neighbour) == []


def test_my_tips_show_status_and_timeline(session_factory, world, tmp_path):
    tip_id = _post(session_factory, world.merchant, tmp_path, now=NOW)
    with session_factory.begin() as session:
        tip = session.get(Tip, tip_id)
        tip.status, tip.dispatched_at = TipStatus.DISPATCHED, NOW + timedelta(minutes=1)
    [view] = tips.my_tips(session_factory=session_factory, actor=world.merchant)
    assert view.status is TipStatus.DISPATCHED
    assert [key for key, _when in view.steps] == ["tips.step.received", "tips.step.dispatched"]


def test_a_merged_duplicate_shows_the_original_progress(session_factory, world, tmp_path):
    original = _post(session_factory, world.merchant, tmp_path, now=NOW)
    duplicate = _post(session_factory, world.neighbour, tmp_path, now=NOW + timedelta(minutes=2))
    with session_factory.begin() as session:
        session.get(Tip, duplicate).status = TipStatus.MERGED
        session.get(Tip, duplicate).merged_into_id = original
        session.add(TipFollower(tip_id=original, account_id=world.neighbour.account_id, shop_id=None,
                                merged_tip_id=duplicate, added_at=NOW + timedelta(minutes=3)))
        tip = session.get(Tip, original)
        tip.status, tip.dispatched_at = TipStatus.DISPATCHED, NOW + timedelta(minutes=4)
    [view] = tips.my_tips(session_factory=session_factory, actor=world.neighbour)
    assert (view.id, view.merged_into_id, view.status) == (duplicate, original, TipStatus.DISPATCHED)
    assert [key for key, _when in view.steps] == ["tips.step.received", "tips.step.merged", "tips.step.dispatched"]


def test_a_coordinator_logs_a_phoned_tip_with_the_callers_contact(session_factory, world, tmp_path):
    tip_id = tips.log_tip(
        session_factory=session_factory, actor=world.coordinator, district_id=world.district,
        category=TipCategory.LOST_PERSON, text="老人走失", urgency=Urgency.CRITICAL,
        where=Where(LAT, LON, "address", "东西巷口"), source=TipSource.PHONE,
        caller_name="王女士", caller_phone="13812345678", now=NOW, upload_dir=tmp_path)
    view = tips.tip_detail(session_factory=session_factory, actor=world.coordinator, tip_id=tip_id)
    assert (view.source, view.caller_name, view.caller_phone) == (TipSource.PHONE, "王女士", "138****5678")
    with session_factory() as session:
        assert session.get(Tip, tip_id).caller_phone == "13812345678"
        audit = session.scalar(select(AuditEvent).where(AuditEvent.action == "tip.log"))
        assert "13812345678" not in str(audit.after) and "王女士" not in str(audit.after)
    with pytest.raises(Forbidden):
        tips.tip_detail(session_factory=session_factory, actor=world.volunteer, tip_id=tip_id)


def test_logging_refuses_bad_contacts_and_other_roles(session_factory, world, tmp_path):
    base = dict(session_factory=session_factory, district_id=world.district, category=TipCategory.OTHER,
                text="", urgency=Urgency.LOW, where=Where(LAT, LON, "map"), source=TipSource.WALK_IN,
                now=NOW, upload_dir=tmp_path)
    with pytest.raises(TipRefused):
        tips.log_tip(actor=world.coordinator, caller_phone="call me maybe", **base)
    with pytest.raises(Forbidden):
        tips.log_tip(actor=world.merchant, **base)
    far = Actor(world.coordinator.account_id, "coord", AccountRole.COORDINATOR, frozenset({world.district + 99}))
    with pytest.raises(Forbidden):
        tips.log_tip(actor=far, **base)
    assert _count(session_factory, Tip) == 0
