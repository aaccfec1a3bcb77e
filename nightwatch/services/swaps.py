"""Swaps and give-aways (换班/让班): offer a shift, a colleague takes it, the coordinator approves.

Where the shift's team (else the offerer's team) has `swap_needs_approval` off, taking an
offer completes it at once. Completing: the old assignment becomes SWAPPED and the taker gets
a new one through `roster.assign_in`, in the same transaction, so clashes and rest are checked
exactly as for any other assignment. Every step is written to the audit log.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from db.models import Assignment, Person, Shift, SwapOffer, Team
from db.types import utcnow
from nightwatch.access import COORDINATING, PATROLLING, Actor, Forbidden, covers_district, require_role
from nightwatch.services import roster
from nightwatch.services.audit import record
from nightwatch.shifts import kinds_of
from nightwatch.text import clean_text
from nightwatch.vocab import OPEN_SWAP_STATUSES, AssignmentStatus, SwapStatus

OFFERABLE = (AssignmentStatus.ASSIGNED, AssignmentStatus.CONFIRMED)
NOTE_MAX = 200


class SwapRefused(Exception):
    """A swap step was refused; the message is a catalog key, `values` fill it in."""

    def __init__(self, key: str, **values: object) -> None:
        super().__init__(key)
        self.key = key
        self.values = values


class _TrialOnly(Exception):
    """Raised to roll back a trial completion (a savepoint), once it has passed every check."""


def offer(*, session_factory: sessionmaker, actor: Actor, assignment_id: int, to_person_id: int | None = None,
          note: str | None = None, now: datetime | None = None) -> int:
    """Offer one's own held future shift to colleagues (or to one colleague); returns the offer's id."""
    me = _person_of(actor)
    now = now or utcnow()
    with session_factory.begin() as session:
        assignment = session.get(Assignment, assignment_id)
        if assignment is None or assignment.person_id != me:
            raise SwapRefused("swaps.not_yours")
        shift = _offerable_shift(session, assignment, now)
        if to_person_id is not None:
            _check_recipient(session, shift, to_person_id, me)
        if session.scalar(select(SwapOffer.id).where(SwapOffer.assignment_id == assignment.id,
                                                     SwapOffer.status.in_(OPEN_SWAP_STATUSES))):
            raise SwapRefused("swaps.already_offered")
        swap = SwapOffer(assignment_id=assignment.id, offered_by_id=me, offered_to_id=to_person_id,
                         note=clean_text(note)[:NOTE_MAX] or None, created_at=now)
        session.add(swap)
        session.flush()
        record(session, actor, "swap.offer", "swap_offer", swap.id, district_id=shift.district_id,
               after={"assignment_id": assignment.id, "offered_to_id": to_person_id})
        return swap.id


def accept(*, session_factory: sessionmaker, actor: Actor, swap_id: int, now: datetime | None = None) -> SwapStatus:
    """Take a colleague's offer; completes it at once where the team needs no approval."""
    me = _person_of(actor)
    now = now or utcnow()
    with session_factory.begin() as session:
        swap, assignment, shift = _open_swap(session, swap_id, (SwapStatus.OFFERED,), now)
        if swap.offered_by_id == me:
            raise SwapRefused("swaps.own_offer")
        if swap.offered_to_id is not None and swap.offered_to_id != me:
            raise SwapRefused("swaps.not_for_you")
        taker = session.get(Person, me)
        _check_taker(taker, shift, assignment)
        swap.taken_by_id, swap.accepted_at = me, now
        record(session, actor, "swap.accept", "swap_offer", swap.id, district_id=shift.district_id,
               after={"taken_by_id": me})
        if _needs_approval(session, shift, swap):
            _trial(session, actor, swap, assignment, shift, now)
            swap.status = SwapStatus.ACCEPTED
        else:
            _complete(session, actor, swap, assignment, shift, now)
        return SwapStatus(swap.status)


def approve(*, session_factory: sessionmaker, actor: Actor, swap_id: int, now: datetime | None = None) -> None:
    """A coordinator of the district approves a taken offer: the shift changes hands."""
    require_role(actor, COORDINATING)
    now = now or utcnow()
    with session_factory.begin() as session:
        swap, assignment, shift = _open_swap(session, swap_id, (SwapStatus.ACCEPTED,), now, actor)
        swap.decided_by_account_id = actor.account_id
        _complete(session, actor, swap, assignment, shift, now)
        record(session, actor, "swap.approve", "swap_offer", swap.id, district_id=shift.district_id,
               after={"taken_by_id": swap.taken_by_id})


def decline(*, session_factory: sessionmaker, actor: Actor, swap_id: int, now: datetime | None = None) -> None:
    """A coordinator of the district declines an open offer: the offerer keeps the shift."""
    require_role(actor, COORDINATING)
    now = now or utcnow()
    with session_factory.begin() as session:
        swap, _, shift = _open_swap(session, swap_id, OPEN_SWAP_STATUSES, now, actor, started_ok=True)
        before = swap.status
        swap.status, swap.decided_at, swap.decided_by_account_id = SwapStatus.DECLINED, now, actor.account_id
        record(session, actor, "swap.decline", "swap_offer", swap.id, district_id=shift.district_id,
               before={"status": str(before)}, after={"status": SwapStatus.DECLINED.value})


def cancel(*, session_factory: sessionmaker, actor: Actor, swap_id: int, now: datetime | None = None) -> None:
    """The offerer takes an offer back, any time before it is approved."""
    me = _person_of(actor)
    now = now or utcnow()
    with session_factory.begin() as session:
        swap = session.get(SwapOffer, swap_id)
        if swap is None or swap.offered_by_id != me:
            raise SwapRefused("swaps.not_yours")
        if swap.status not in OPEN_SWAP_STATUSES:
            raise SwapRefused("swaps.closed")
        before = swap.status
        swap.status, swap.decided_at = SwapStatus.CANCELLED, now
        district_id = session.scalar(select(Shift.district_id).join(Assignment, Assignment.shift_id == Shift.id)
                                     .where(Assignment.id == swap.assignment_id))
        record(session, actor, "swap.cancel", "swap_offer", swap.id, district_id=district_id,
               before={"status": str(before)}, after={"status": SwapStatus.CANCELLED.value})


def _person_of(actor: Actor) -> int:
    require_role(actor, PATROLLING)
    if actor.person_id is None:
        raise SwapRefused("swaps.no_person")
    return actor.person_id


def _offerable_shift(session: Session, assignment: Assignment, now: datetime) -> Shift:
    """The assignment's shift, when the assignment holds it and it has not begun."""
    if assignment.status not in OFFERABLE:
        raise SwapRefused("swaps.not_held")
    shift = session.get(Shift, assignment.shift_id)
    if shift.starts_at <= now:
        raise SwapRefused("swaps.started")
    return shift


def _check_recipient(session: Session, shift: Shift, person_id: int, me: int) -> None:
    person = session.get(Person, person_id)
    if person is None or person.id == me or person.district_id != shift.district_id or not person.active:
        raise SwapRefused("swaps.not_a_colleague")


def _check_taker(taker: Person | None, shift: Shift, assignment: Assignment) -> None:
    """Refuse anyone not of the shift's district, inactive, or unable to fill the offered role."""
    if taker is None or taker.district_id != shift.district_id or not taker.active:
        raise SwapRefused("swaps.not_a_colleague")
    if assignment.role_kind and assignment.role_kind not in kinds_of(taker.role_kind, taker.skills or ()):
        raise SwapRefused("swaps.role_misfit", role=assignment.role_kind)


def _open_swap(session: Session, swap_id: int, statuses: tuple[SwapStatus, ...], now: datetime,
               coordinator: Actor | None = None, started_ok: bool = False) -> tuple[SwapOffer, Assignment, Shift]:
    """An open swap in one of the statuses, its assignment (still held) and its shift."""
    swap = session.get(SwapOffer, swap_id)
    if swap is None:
        raise SwapRefused("swaps.closed")
    assignment = session.get(Assignment, swap.assignment_id)
    shift = session.get(Shift, assignment.shift_id)
    if coordinator is not None and not covers_district(coordinator, shift.district_id):
        raise Forbidden("access.other_district")
    if swap.status not in statuses:
        raise SwapRefused("swaps.closed")
    if not started_ok and (assignment.status not in OFFERABLE or shift.starts_at <= now):
        raise SwapRefused("swaps.started" if shift.starts_at <= now else "swaps.not_held")
    return swap, assignment, shift


def _needs_approval(session: Session, shift: Shift, swap: SwapOffer) -> bool:
    """The shift's team decides, else the offerer's team; with neither, approval is on."""
    team_id = shift.team_id or session.scalar(select(Person.team_id).where(Person.id == swap.offered_by_id))
    needs = session.scalar(select(Team.swap_needs_approval).where(Team.id == team_id)) if team_id else None
    return True if needs is None else bool(needs)


def _hand_over(session: Session, actor: Actor, swap: SwapOffer, assignment: Assignment, shift: Shift,
               now: datetime) -> Assignment:
    """Old assignment → SWAPPED, then the taker's through the roster's own checks; refusals as SwapRefused."""
    assignment.status = AssignmentStatus.SWAPPED
    session.flush()  # frees the person's place before the taker's is checked and written
    try:
        taken = roster.assign_in(session, shift=shift, person_id=swap.taken_by_id, role_kind=assignment.role_kind,
                                 override_reason=None, now=now, actor=actor)
    except roster.RestTooShort as refused:
        # The roster's words invite a reason only a coordinator can give; a colleague just cannot take it.
        raise SwapRefused("swaps.rest_short", **refused.values) from refused
    except roster.RosterRefused as refused:
        raise SwapRefused(refused.key, **refused.values) from refused
    if taken.status != AssignmentStatus.ASSIGNED:
        raise SwapRefused("swaps.no_place")
    # Taking a shift is a commitment: the taker has said yes already.
    taken.status, taken.confirmed_at = AssignmentStatus.CONFIRMED, swap.accepted_at or now
    return taken


def _trial(session: Session, actor: Actor, swap: SwapOffer, assignment: Assignment, shift: Shift,
           now: datetime) -> None:
    """Check now that the hand-over would pass (clash, rest), then undo it until it is approved."""
    try:
        with session.begin_nested():
            _hand_over(session, actor, swap, assignment, shift, now)
            raise _TrialOnly
    except _TrialOnly:
        pass
    session.refresh(assignment)


def _complete(session: Session, actor: Actor, swap: SwapOffer, assignment: Assignment, shift: Shift,
              now: datetime) -> None:
    """Hand the shift over and close the offer as approved."""
    with session.begin_nested():
        taken = _hand_over(session, actor, swap, assignment, shift, now)
    swap.status, swap.decided_at = SwapStatus.APPROVED, now
    record(session, actor, "swap.complete", "swap_offer", swap.id, district_id=shift.district_id,
           before={"assignment_id": assignment.id, "person_id": assignment.person_id},
           after={"assignment_id": taken.id, "person_id": taken.person_id})
