"""Hostile text in a tip's referral note, an account's display name and a shop's phone, on both databases."""
from __future__ import annotations

import hostile_bench
import pytest
from authz_world import PASSWORD, new_login
from hostile import by_category
from hostile_bench import SHOP_LAT, SHOP_LON, Bench, check_field, report, strings
from test_hostile_services import NOW

from db.models import Account, Shop, Tip
from nightwatch.dossier import clean_phone
from nightwatch.services import accounts, dispatch, shop_edit
from nightwatch.services.tip_logging import log_tip
from nightwatch.services.tip_posting import Where
from nightwatch.text import optional_text
from nightwatch.vocab import AccountRole, TipCategory, TipSource, Urgency

pytestmark = pytest.mark.reliability
benches = hostile_bench.benches  # the session's benches: one world per database
REFUSED = object()  # never equal to anything read back


def _referral_note(bench: Bench, value: str, index: int) -> object:
    """A coordinator hands a fresh tip to the police (110) with this note; the note read back."""
    tip = log_tip(session_factory=bench.factory, actor=bench.coordinator, district_id=bench.district,
                  category=TipCategory.DISPUTE, text=f"转110测试{index}", urgency=Urgency.LOW,
                  where=Where(SHOP_LAT, SHOP_LON, "map", "巷口"), source=TipSource.PHONE, now=NOW)
    dispatch.refer_to_110(session_factory=bench.factory, actor=bench.coordinator, tip_id=tip, note=value, now=NOW)
    with bench.factory() as session:
        return session.get(Tip, tip).outcome_note


def _display_name(bench: Bench, value: str, index: int) -> object:
    """The administrator creates a coordinator account with this display name; the name read back."""
    account = accounts.create_account(session_factory=bench.factory, actor=bench.admin, login=new_login(),
                                      password=PASSWORD, role=AccountRole.COORDINATOR,
                                      district_ids=[bench.district], display_name=value)
    with bench.factory() as session:
        return session.get(Account, account).display_name


def test_a_referral_note_is_stored_as_typed_or_refused_alike(benches, scorecard):
    failures = check_field(benches, "tip referral note", [e.text for e in strings(scorecard)], _referral_note,
                           optional_text)
    assert not failures, report(failures)


def test_an_account_display_name_is_stored_as_typed_or_refused_alike(benches, scorecard):
    # Each account costs a password hash (about half a second): the control characters and a few others.
    values = [e.text for e in by_category("control")[:scorecard.scale(99, 2)]] + ["<b>粗体</b>", "\u202egnp.exe"]
    failures = check_field(benches, "account display name", values, _display_name, optional_text)
    assert not failures, report(failures)


def _owner_phone(bench: Bench, value: str, index: int) -> object:
    """The merchant saves the dossier with this owner phone; the phone read back."""
    shop_edit.edit_dossier(session_factory=bench.factory, actor=bench.merchant, shop_id=bench.world.a.shop,
                           fields=shop_edit.DossierFields(owner_name="王老板", owner_phone=value), now=NOW)
    with bench.factory() as session:
        return session.get(Shop, bench.world.a.shop).owner_phone


def _phone_as_stored(value: str) -> object:
    """A mobile or landline is stored as ASCII digits (blank as nothing); anything else must be refused."""
    try:
        phone = clean_phone(value)
    except ValueError:
        return REFUSED
    return (phone or None) if phone.isascii() else REFUSED


def test_a_shop_phone_is_stored_as_digits_or_refused_alike(benches, scorecard):
    values = [e.text for e in strings(scorecard)] + [e.text for e in by_category("fullwidth")]
    failures = check_field(benches, "shop owner phone", dict.fromkeys(values), _owner_phone, _phone_as_stored)
    assert not failures, report(failures)
