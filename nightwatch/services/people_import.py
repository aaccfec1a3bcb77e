"""People in and out by spreadsheet: a checked preview, an all-or-nothing import, a CSV export for Excel."""
from __future__ import annotations

from collections.abc import Collection

import pandas as pd
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from db.models import Grid, Person, Team
from nightwatch import exports, i18n, people_rows
from nightwatch.access import Actor
from nightwatch.people_rows import Preview, RowsRefused
from nightwatch.services.audit import record
from nightwatch.services.people import (
    PeopleFilter,
    PeopleRefused,
    district_in_scope,
    list_people,
)
from nightwatch.text import clean_text

# The export's columns carry the import's Chinese or English headers, so an export reads back in.
EXPORT_COLUMNS = (("name", "people.col.name"), ("phone", "people.col.phone"), ("role", "people.col.role"),
                  ("skills", "people.col.skills"), ("team", "people.col.team"), ("grid", "people.col.grid"),
                  ("active", "people.col.active"))
IN_CHUNK = 500  # phones per IN (...) list, well under every backend's parameter limit


def preview_import(*, session_factory: sessionmaker, actor: Actor, district_id: int, data: bytes,
                   filename: str) -> Preview:
    """Every row of an uploaded file checked against the district as it is now; nothing is stored."""
    with session_factory() as session:
        district_in_scope(session, actor, district_id)
        return _checked(session, district_id, data, filename)


def import_people(*, session_factory: sessionmaker, actor: Actor, district_id: int, data: bytes,
                  filename: str) -> int:
    """Add every person of the file, or nobody when any row is refused; returns how many were added."""
    with session_factory.begin() as session:
        district_in_scope(session, actor, district_id)
        # Checked again inside the transaction: the preview may be minutes old.
        preview = _checked(session, district_id, data, filename)
        if not preview.ok:
            raise PeopleRefused("people.import.refused", count=len(preview.bad_lines),
                                rows=", ".join(str(line) for line in preview.bad_lines[:20]))
        teams = dict(session.execute(select(Team.name, Team.id).where(Team.district_id == district_id,
                                                                      Team.active)).all())
        grids = dict(session.execute(select(Grid.name, Grid.id).where(Grid.district_id == district_id)).all())
        session.add_all(Person(district_id=district_id, name=row.name, phone=row.phone, role_kind=row.role_kind,
                               skills=[s.value for s in row.skills], team_id=teams.get(row.team),
                               home_grid_id=grids.get(row.grid), active=True) for row in preview.rows)
        try:
            session.flush()
        except IntegrityError as error:  # a number taken by a concurrent writer since the check
            raise PeopleRefused("people.import.raced") from error
        record(session, actor, "people.import", "person", district_id=district_id,
               after={"count": len(preview.rows), "file": clean_text(filename)[:120]})
        return len(preview.rows)


def export_csv(*, session_factory: sessionmaker, actor: Actor, district_id: int, filters: PeopleFilter,
               lang: str = i18n.DEFAULT_LANGUAGE) -> bytes:
    """The filtered people as CSV in UTF-8 with a BOM (so Excel shows Chinese); the export is audited."""
    rows = list_people(session_factory=session_factory, actor=actor, district_id=district_id, filters=filters)
    words = {key: i18n.t(label, lang) for key, label in EXPORT_COLUMNS}
    yes, no = i18n.t("people.yes", lang), i18n.t("people.no", lang)
    frame = pd.DataFrame({
        words["name"]: [r.name for r in rows],
        words["phone"]: [r.phone for r in rows],
        words["role"]: [i18n.label(r.role_kind, lang) for r in rows],
        words["skills"]: ["、".join(i18n.label(s, lang) for s in r.skills) for r in rows],
        words["team"]: [r.team or "" for r in rows],
        words["grid"]: [r.home_grid or "" for r in rows],
        words["active"]: [yes if r.active else no for r in rows],
    }, dtype=object)
    with session_factory.begin() as session:
        record(session, actor, "people.export", "person", district_id=district_id,
               after={"count": len(rows), "filters": _described(filters)})
    return exports.to_csv(frame)  # formulas neutralised, as every other export


def _checked(session: Session, district_id: int, data: bytes, filename: str) -> Preview:
    """The file's rows checked against the district's active teams, its grids and every number taken."""
    try:
        rows = people_rows.read_rows(data, filename)
    except RowsRefused as refused:
        raise PeopleRefused(refused.key, **refused.values) from refused
    teams = set(session.scalars(select(Team.name).where(Team.district_id == district_id, Team.active)))
    grids = set(session.scalars(select(Grid.name).where(Grid.district_id == district_id)))
    taken = _taken(session, people_rows.phones_in(rows))
    return people_rows.check_rows(rows, teams=teams, grids=grids, taken_phones=taken)


def _taken(session: Session, phones: Collection[str]) -> set[str]:
    """Which of the numbers someone already holds, in any district (a phone is unique everywhere)."""
    wanted = sorted(phones)
    taken: set[str] = set()
    for start in range(0, len(wanted), IN_CHUNK):
        chunk = wanted[start:start + IN_CHUNK]
        taken.update(session.scalars(select(Person.phone).where(Person.phone.in_(chunk))))
    return taken


def _described(filters: PeopleFilter) -> dict[str, object]:
    return {"team_id": filters.team_id, "role_kind": filters.role_kind.value if filters.role_kind else None,
            "active": filters.active, "text": filters.text[:40]}
