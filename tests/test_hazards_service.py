"""Hazards on a real database: who may do which step, stale second clicks, tips turned into hazards, rates."""
from __future__ import annotations

from datetime import date

import pytest
from booking_ground import local
from hazard_world import build, hazard, png
from sqlalchemy import func, select

from db.models import AuditEvent, Hazard, Tip
from nightwatch.access import Forbidden
from nightwatch.services import hazard_rates, hazard_reads, hazards
from nightwatch.services.hazard_photos import HazardRefused
from nightwatch.vocab import HazardCategory, HazardStatus, TipCategory

NOW = local("2026-11-20 22:30")


def status_of(factory, hazard_id):
    with factory() as s:
        return s.get(Hazard, hazard_id).status


def audits(factory):
    with factory() as s:
        return s.scalar(select(func.count(AuditEvent.id)))


def test_a_volunteer_reports_at_a_shop_and_the_due_date_follows_the_category(session_factory, tmp_path):
    world = build(session_factory)
    hazard_id = hazards.report(session_factory=session_factory, actor=world.volunteer(), district_id=world.district,
                               category=HazardCategory.BLOCKED_FIRE_EXIT, description="后门堆放纸箱",
                               shop_id=world.shop, photo=png(), now=NOW, upload_dir=tmp_path)
    again = hazards.report(session_factory=session_factory, actor=world.volunteer(), district_id=world.district,
                           category=HazardCategory.BLOCKED_FIRE_EXIT, description="后门堆放纸箱",
                           shop_id=world.shop, now=NOW, upload_dir=tmp_path)
    assert again == hazard_id  # the same form sent twice makes one hazard
    with session_factory() as s:
        row = s.get(Hazard, hazard_id)
        assert (row.status, row.due_on, row.grid_id, row.found_by_id) == (
            HazardStatus.REPORTED, date(2026, 11, 21), world.grid, world.walker)
        assert row.responsible_party == "三花酒坊" and row.photo_path.startswith("hazards/")


def test_a_report_without_words_or_place_is_refused(session_factory):
    world = build(session_factory)
    with pytest.raises(HazardRefused) as refused:
        hazards.report(session_factory=session_factory, actor=world.volunteer(), district_id=world.district,
                       category=HazardCategory.OTHER, description="有问题", now=NOW)
    assert refused.value.key == "hazards.need_where"


def test_a_volunteer_cannot_verify_and_a_merchant_cannot_report(session_factory):
    world = build(session_factory)
    hazard_id = hazard(session_factory, world, status=HazardStatus.REPORTED)
    before = audits(session_factory)
    with pytest.raises(Forbidden):
        hazards.verify(session_factory=session_factory, actor=world.volunteer(), hazard_id=hazard_id, now=NOW)
    with pytest.raises(Forbidden):
        hazards.report(session_factory=session_factory, actor=world.merchant(), district_id=world.district,
                       category=HazardCategory.OTHER, description="x", location_note="门口", now=NOW)
    assert status_of(session_factory, hazard_id) is HazardStatus.REPORTED and audits(session_factory) == before


def test_only_the_merchant_of_its_shop_may_rectify_it_and_only_with_an_after_photo(session_factory, tmp_path):
    world = build(session_factory)
    hazard_id = hazard(session_factory, world, shop=world.shop)
    with pytest.raises(Forbidden):
        hazards.rectify(session_factory=session_factory, actor=world.merchant(world.neighbour_shop),
                        hazard_id=hazard_id, photo=png(), now=NOW, upload_dir=tmp_path)
    with pytest.raises(HazardRefused) as refused:
        hazards.rectify(session_factory=session_factory, actor=world.merchant(), hazard_id=hazard_id, photo=None,
                        now=NOW, upload_dir=tmp_path)
    assert refused.value.key == "hazards.cannot.rectify_without_photo"
    assert status_of(session_factory, hazard_id) is HazardStatus.ASSIGNED
    assert list((tmp_path / "hazards").glob("*")) == []  # the refused photo was not kept
    hazards.rectify(session_factory=session_factory, actor=world.merchant(), hazard_id=hazard_id, photo=png(),
                    note="已清理", now=NOW, upload_dir=tmp_path)
    assert status_of(session_factory, hazard_id) is HazardStatus.RECTIFIED
    seen = hazard_reads.hazards(session_factory=session_factory, actor=world.merchant(world.neighbour_shop),
                                district_id=world.district, today=date(2026, 11, 20))
    assert seen == []  # another shop's merchant does not even see it


def test_a_stale_second_click_is_refused_not_applied_twice(session_factory):
    world = build(session_factory)
    hazard_id = hazard(session_factory, world, status=HazardStatus.REPORTED)
    coordinator = world.coordinator()
    hazards.verify(session_factory=session_factory, actor=coordinator, hazard_id=hazard_id,
                   expected=HazardStatus.REPORTED, now=NOW)
    before = audits(session_factory)
    with pytest.raises(HazardRefused) as stale:
        hazards.verify(session_factory=session_factory, actor=coordinator, hazard_id=hazard_id,
                       expected=HazardStatus.REPORTED, now=NOW)
    assert stale.value.key == "hazards.stale" and audits(session_factory) == before
    hazards.assign(session_factory=session_factory, actor=coordinator, hazard_id=hazard_id, assignee_id=world.walker,
                   responsible_party="物业", expected=HazardStatus.VERIFIED, now=NOW)
    with session_factory() as s:
        row = s.get(Hazard, hazard_id)
        assert (row.status, row.assignee_id, row.responsible_party) == (HazardStatus.ASSIGNED, world.walker, "物业")
        actions = s.scalars(select(AuditEvent.action).where(AuditEvent.entity_id == hazard_id)
                            .order_by(AuditEvent.id)).all()
    assert actions == ["hazard.verify", "hazard.assign"]


def test_a_coordinator_of_another_district_is_refused(session_factory):
    world = build(session_factory)
    hazard_id = hazard(session_factory, world, status=HazardStatus.REPORTED)
    outsider = world.coordinator().__class__(account_id=world.accounts["coord"], login="x",
                                             role=world.coordinator().role, district_ids=frozenset({world.other}))
    with pytest.raises(Forbidden):
        hazards.verify(session_factory=session_factory, actor=outsider, hazard_id=hazard_id, now=NOW)


def test_a_tip_becomes_a_hazard_once_keeping_its_shop_and_grid(session_factory):
    world = build(session_factory)
    with session_factory.begin() as s:
        tip = Tip(district_id=world.district, grid_id=world.grid, shop_id=world.shop, category=TipCategory.FIRE_HAZARD,
                  text="后厨电线冒火花", location_note="后厨", duty_date=date(2026, 11, 20), received_at=NOW)
        s.add(tip)
        s.flush()
        tip_id = tip.id
    hazard_id = hazards.report_from_tip(session_factory=session_factory, actor=world.coordinator(), tip_id=tip_id,
                                        category=HazardCategory.UNSAFE_WIRING, now=NOW)
    with pytest.raises(HazardRefused) as twice:
        hazards.report_from_tip(session_factory=session_factory, actor=world.coordinator(), tip_id=tip_id,
                                category=HazardCategory.UNSAFE_WIRING, now=NOW)
    assert twice.value.key == "hazards.tip_already"
    with session_factory() as s:
        row = s.get(Hazard, hazard_id)
        assert (row.tip_id, row.shop_id, row.grid_id, row.location_note, row.description) == (
            tip_id, world.shop, world.grid, "后厨", "后厨电线冒火花")
        assert row.due_on == date(2026, 11, 23)


def test_rates_count_rectified_against_found_per_grid_and_category(session_factory):
    world = build(session_factory)
    hazard(session_factory, world, status=HazardStatus.CLOSED)
    hazard(session_factory, world, status=HazardStatus.RECTIFIED)
    hazard(session_factory, world, status=HazardStatus.REOPENED, grid=world.side_grid)
    found = hazard_rates.rates(session_factory=session_factory, actor=world.coordinator(), district_id=world.district)
    assert (found.district.found, found.district.rectified) == (3, 2)
    assert {(r.label, r.found, r.rectified) for r in found.by_grid} == {("一号网格", 2, 2), ("二号网格", 1, 0)}
    assert [r.rate for r in found.by_grid if r.label == "二号网格"] == [0.0]
    with pytest.raises(Forbidden):
        hazard_rates.rates(session_factory=session_factory, actor=world.volunteer(), district_id=world.district)
