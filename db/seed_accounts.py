"""Demo accounts, one per role, signing in as seeded people and shops of 桂林 东西巷 and 襄城区.

All share the password `nightwatch-demo` (listed in the README); `python -m nightwatch
check-config` refuses a real deployment where any of them can still sign in.
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Account, AccountDistrict, Assignment, District, Person, Shift, Shop, Team, Tip
from nightwatch.passwords import hash_password
from nightwatch.vocab import HOLDING_STATUSES, AccountRole, RoleKind

DEMO_PASSWORD = "nightwatch-demo"
HOME_DISTRICT = ("桂林", "东西巷")
SECOND_DISTRICT = ("襄阳", "襄城区")


def seed_accounts(session: Session, today: date) -> None:
    """Add the demo accounts that are missing; existing ones are left exactly as they are."""
    existing = set(session.scalars(select(Account.login)))
    home = _district(session, *HOME_DISTRICT)
    second = _district(session, *SECOND_DISTRICT)
    password_hash = None

    def add(login: str, role: AccountRole, name: str, **links: object) -> Account | None:
        nonlocal password_hash
        if login in existing:
            return None
        password_hash = password_hash or hash_password(DEMO_PASSWORD)
        account = Account(login=login, role=role, password_hash=password_hash, display_name=name, **links)
        session.add(account)
        return account

    add("demo-admin", AccountRole.ADMIN, "演示管理员")
    coordinator = add("demo-coordinator", AccountRole.COORDINATOR, "演示调度员")
    if coordinator is not None:
        coordinator.districts = [AccountDistrict(district_id=d.id) for d in (home, second) if d is not None]
    if home is None:
        return
    leader = _team_leader_on_duty(session, home.id, today)
    if leader is not None:
        add("demo-leader", AccountRole.TEAM_LEADER, leader.name, person_id=leader.id)
    volunteer = _on_duty(session, home.id, today, RoleKind.GRID_WORKER, exclude=leader)
    if volunteer is not None:
        add("demo-volunteer", AccountRole.VOLUNTEER, volunteer.name, person_id=volunteer.id)
    shop = _codefender_shop_with_tips(session, home.id)
    if shop is not None:
        add("demo-merchant", AccountRole.MERCHANT, shop.name, shop_id=shop.id, person_id=shop.codefender_id)


def _district(session: Session, city: str, name: str) -> District | None:
    return session.scalar(select(District).where(District.city == city, District.name == name))


def _tonight(district_id: int, today: date):
    """People holding an assignment on a shift of the district tonight."""
    return (
        select(Person)
        .join(Assignment, Assignment.person_id == Person.id)
        .join(Shift, Shift.id == Assignment.shift_id)
        .where(Shift.district_id == district_id, Shift.duty_date == today,
               Assignment.status.in_(HOLDING_STATUSES), Person.active)
        .order_by(Person.id)
    )


def _team_leader_on_duty(session: Session, district_id: int, today: date) -> Person | None:
    leaders = _tonight(district_id, today).join(Team, Team.leader_id == Person.id)
    return session.scalars(leaders).first() or session.scalars(
        select(Person).join(Team, Team.leader_id == Person.id)
        .where(Team.district_id == district_id).order_by(Person.id)
    ).first()


def _on_duty(session: Session, district_id: int, today: date, role: RoleKind, exclude: Person | None) -> Person | None:
    query = _tonight(district_id, today).where(Person.role_kind == role)
    if exclude is not None:
        query = query.where(Person.id != exclude.id)
    return session.scalars(query).first()


def _codefender_shop_with_tips(session: Session, district_id: int) -> Shop | None:
    with_tips = (
        select(Shop).join(Tip, Tip.shop_id == Shop.id)
        .where(Shop.district_id == district_id, Shop.is_codefender).order_by(Shop.id)
    )
    return session.scalars(with_tips).first() or session.scalars(
        select(Shop).where(Shop.district_id == district_id, Shop.is_codefender).order_by(Shop.id)
    ).first()
