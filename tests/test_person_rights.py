"""A person's rights (PIPL): their data exported for them and nobody else's, and erased on request so that
their name and phone are nowhere, not even in the SQLite file; audited, coordinators only. Both databases."""
from __future__ import annotations

import io
import json
import zipfile

import pytest
from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from db.models import Account, AuditEvent, Base, Person
from nightwatch.access import Actor, Forbidden
from nightwatch.services.person_erasure import erase_person
from nightwatch.services.person_rights import export_person
from nightwatch.vocab import AccountRole
from privacy_world import (
    ALICE_LOGIN, ALICE_NAME, ALICE_PHONE, BOB_NAME, BOB_PHONE, NOW, OLD_MARKERS, RECENT_MARKERS, backend, build,
    bytes_found, sqlite_files, statistics,
)

pytestmark = pytest.mark.reliability
ALICE = (ALICE_NAME, ALICE_PHONE, ALICE_LOGIN)


def _coordinator(district_id: int) -> Actor:
    return Actor(login="coord-dongxi", role=AccountRole.COORDINATOR, district_ids=frozenset({district_id}))


def _everything(factory: sessionmaker) -> str:
    """Every value of every row of every table, as one text (JSON documents decoded)."""
    with factory() as s:
        return "\n".join(repr(tuple(row)) for table in Base.metadata.sorted_tables
                         for row in s.execute(table.select()))


def test_the_export_holds_the_persons_data_and_nobody_elses(session_factory, tmp_path, scorecard):
    world = build(session_factory, tmp_path)
    export = export_person(session_factory=session_factory, actor=_coordinator(world.district_id),
                           person_id=world.alice_id, now=NOW, upload_dir=tmp_path)
    sections = export.sections
    assert sections["person"]["name"] == ALICE_NAME and sections["person"]["phone"] == ALICE_PHONE
    assert len(sections["tips_reported"]) == world.old_tips and len(sections["check_ins"]) == world.old_check_ins
    assert [a["login"] for a in sections["accounts"]] == [ALICE_LOGIN]
    assert len(sections["hazards"]) == 1
    assert {e["action"] for e in sections["audit"]} == {"person.create", "auth.sign_in"}
    text = export.as_json().decode("utf-8")
    assert "password_hash" not in text and "x" * 60 not in text
    # Bob's name, phone and reports, and the callers on Alice's tips, are other people's.
    for other in (BOB_NAME, BOB_PHONE, *RECENT_MARKERS, OLD_MARKERS[1], OLD_MARKERS[2]):
        assert other not in text, other
    with zipfile.ZipFile(io.BytesIO(export.as_zip())) as archive:
        names = archive.namelist()
        assert json.loads(archive.read(f"person-{world.alice_id}.json"))["person"]["name"] == ALICE_NAME
    assert sorted(n for n in names if n.startswith("photos/")) == sorted(f"photos/{p.name}" for p in world.old_photos)
    with session_factory() as s:
        event = s.scalars(select(AuditEvent).where(AuditEvent.action == "person.export")).one()
    assert (event.entity_id, event.actor) == (world.alice_id, "coord-dongxi")
    included = {name: len(rows) for name, rows in sections.items() if isinstance(rows, list)}
    scorecard.record("privacy", f"export contents (sections: rows for the planted person), {backend(session_factory)}",
                     ", ".join(f"{name} {count}" for name, count in included.items()) + ", person 1, photos "
                     + str(len(export.photos)), "all of theirs, none of others'")


def test_erasure_removes_the_person_everywhere_keeps_others_and_the_statistics(session_factory, tmp_path, scorecard):
    world = build(session_factory, tmp_path)
    before = statistics(session_factory)
    counts = erase_person(session_factory=session_factory, actor=_coordinator(world.district_id),
                          person_id=world.alice_id, now=NOW, upload_dir=tmp_path)

    assert (counts.tips, counts.check_ins, counts.accounts, counts.photos) == (
        world.old_tips, world.old_check_ins, 1, len(world.old_photos))
    everything = _everything(session_factory)
    # (The old door number stays in the geocoder cache: an address, not her data.)
    left = {marker: everything.count(marker) for marker in (*ALICE, *OLD_MARKERS[:3])}
    assert not any(left.values()), left
    raw = {path.name: bytes_found(path, (*ALICE, *OLD_MARKERS[:3])) for path in sqlite_files(session_factory)}
    assert not any(count for found in raw.values() for count in found.values()), raw
    # Bob and his reports are untouched; the shop note that mentioned Alice now does not.
    for kept in (BOB_NAME, BOB_PHONE, *RECENT_MARKERS):
        assert kept in everything, kept
    assert "*** 常来帮忙" in everything
    assert not any(path.exists() for path in world.old_photos) and all(p.exists() for p in world.recent_photos)
    with session_factory() as s:
        account = s.get(Account, world.alice_account_id)
        person = s.get(Person, world.alice_id)
        event = s.scalars(select(AuditEvent).where(AuditEvent.action == "person.erase")).one()
    assert (account.active, account.password_hash, person.active) == (False, None, False)
    assert (event.entity_id, event.actor, event.after["tips"]) == (world.alice_id, "coord-dongxi", world.old_tips)
    assert statistics(session_factory) == before
    scorecard.record("privacy", "erasure: markers left in any row" + (", the SQLite file or its WAL" if raw else "")
                     + f", {backend(session_factory)}",
                     sum(left.values()) + sum(c for found in raw.values() for c in found.values()), "0")


def test_export_and_erasure_are_audited_with_who_asked(session_factory, tmp_path, scorecard):
    world = build(session_factory, tmp_path)
    coordinator = _coordinator(world.district_id)
    export_person(session_factory=session_factory, actor=coordinator, person_id=world.bob_id, now=NOW)
    erase_person(session_factory=session_factory, actor=coordinator, person_id=world.bob_id, now=NOW,
                 upload_dir=tmp_path)
    with session_factory() as s:
        events = s.execute(select(AuditEvent.action, AuditEvent.actor, AuditEvent.entity_id)
                           .where(AuditEvent.action.in_(("person.export", "person.erase")))
                           .order_by(AuditEvent.id)).all()
    assert [tuple(e) for e in events] == [("person.export", "coord-dongxi", world.bob_id),
                                          ("person.erase", "coord-dongxi", world.bob_id)]
    scorecard.record("privacy", f"audit events recorded for one export and one erasure, {backend(session_factory)}",
                     len(events), "2")


def test_only_coordinators_of_the_persons_district_may_export_or_erase(session_factory, tmp_path):
    world = build(session_factory, tmp_path, old_rows=2)
    refused = []
    for role, own in ((AccountRole.VOLUNTEER, True), (AccountRole.TEAM_LEADER, True), (AccountRole.MERCHANT, True),
                      (None, False), (AccountRole.COORDINATOR, False)):
        districts = frozenset({world.district_id if own else world.district_id + 1}) if role else frozenset()
        actor = Actor(login="someone", role=role, district_ids=districts)
        with pytest.raises(Forbidden):
            export_person(session_factory=session_factory, actor=actor, person_id=world.alice_id, now=NOW)
        with pytest.raises(Forbidden):
            erase_person(session_factory=session_factory, actor=actor, person_id=world.alice_id, now=NOW,
                         upload_dir=tmp_path)
        refused.append(role)
    assert len(refused) == 5 and ALICE_NAME in _everything(session_factory)
    assert all(path.exists() for path in world.old_photos)
    with session_factory() as s:
        assert not s.scalars(select(AuditEvent).where(AuditEvent.action.like("person.e%"))).all()
