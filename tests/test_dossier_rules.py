"""Shop dossier rules against hand-computed tables: required items, phones, and the risk score and reasons."""
from __future__ import annotations

import pytest

from nightwatch.dossier import PhoneInvalid, RiskFacts, assess, clean_phone, missing_items, required_items
from nightwatch.vocab import BusinessKind as K
from nightwatch.vocab import RiskLevel as L
from nightwatch.vocab import TipCategory as C

ALL_OK = {"extinguisher": True, "camera": True, "alarm_button": True, "fire_exit_clear": True, "gas_alarm": True,
          "grease_duct_cleaned": True}
INSPECTED = 30  # days since the last inspection: recent enough to add nothing


@pytest.mark.parametrize("kind, required", [
    (K.RESTAURANT, ("extinguisher", "camera", "fire_exit_clear", "gas_alarm", "grease_duct_cleaned")),
    (K.SNACK_STALL, ("extinguisher", "fire_exit_clear", "gas_alarm", "grease_duct_cleaned")),
    (K.BAR, ("extinguisher", "camera", "alarm_button", "fire_exit_clear")),
    (K.KTV, ("extinguisher", "camera", "alarm_button", "fire_exit_clear")),
    (K.RETAIL, ("extinguisher", "camera", "fire_exit_clear")),
])
def test_required_items_depend_on_the_business_kind(kind, required):
    assert required_items(kind) == required


def test_an_unticked_or_absent_required_item_is_missing_and_optional_ones_never_are():
    checklist = {"extinguisher": True, "camera": False, "gas_alarm": False}
    assert missing_items(K.RETAIL, checklist) == ("camera", "fire_exit_clear")
    assert missing_items(K.RETAIL, None) == ("extinguisher", "camera", "fire_exit_clear")


@pytest.mark.parametrize("typed, stored", [
    ("13812345678", "13812345678"), ("+86 138-1234-5678", "13812345678"), ("0086 13812345678", "13812345678"),
    ("１３８１２３４５６７８", "13812345678"), ("0773-2801234", "07732801234"), ("010-62345678", "01062345678"),
    ("(0710) 3456789", "07103456789"), ("", ""), ("  ", ""),
])
def test_mobiles_and_landlines_with_area_codes_are_accepted(typed, stored):
    assert clean_phone(typed) == stored


@pytest.mark.parametrize("typed", ["12345", "2801234", "1381234567", "138123456789", "23812345678", "abc",
                                   "0773-12345"])
def test_other_phone_numbers_are_refused(typed):
    with pytest.raises(PhoneInvalid):
        clean_phone(typed)


# (facts, score, level) computed by hand from the table in nightwatch/dossier.py.
CASES = [
    # A retail shop with everything in order, inspected last month: nothing at all.
    (RiskFacts(K.RETAIL, checklist=ALL_OK, days_since_inspection=INSPECTED), 0, L.LOW),
    # Co-defence cannot push below zero.
    (RiskFacts(K.RETAIL, checklist=ALL_OK, days_since_inspection=INSPECTED, is_codefender=True), 0, L.LOW),
    # A bar: 3 for the kind, never inspected 2 → 5, medium.
    (RiskFacts(K.BAR, checklist=ALL_OK), 5, L.MEDIUM),
    # A bar, co-defender, inspected: 3 − 2 = 1.
    (RiskFacts(K.BAR, checklist=ALL_OK, days_since_inspection=INSPECTED, is_codefender=True), 1, L.LOW),
    # A KTV with 2 thefts and a fight (3×2), a lost item (0), one open overdue hazard found lately (2+2+1),
    # no camera (1), last inspected 200 days ago (2): 3+6+0+5+1+2 = 17.
    (RiskFacts(K.KTV, open_hazards=1, overdue_hazards=1, recent_hazards=1,
               recent_tips={C.THEFT: 2, C.DISPUTE: 1, C.LOST_ITEM: 1},
               checklist={**ALL_OK, "camera": False}, days_since_inspection=200), 17, L.HIGH),
    # A restaurant (1) with a noise tip (1) and a suspicious person (1), missing gas alarm and grease duct (2),
    # inspected 180 days ago, exactly at the limit (0): 5.
    (RiskFacts(K.RESTAURANT, recent_tips={C.NOISE: 1, C.SUSPICIOUS: 1},
               checklist={"extinguisher": True, "camera": True, "fire_exit_clear": True},
               days_since_inspection=180), 5, L.MEDIUM),
    # A hotel (2), 181 days (2) → 4, medium; and with co-defence → 2, low.
    (RiskFacts(K.HOTEL, checklist=ALL_OK, days_since_inspection=181), 4, L.MEDIUM),
    (RiskFacts(K.HOTEL, checklist=ALL_OK, days_since_inspection=181, is_codefender=True), 2, L.LOW),
    # A chess room (3) with two frauds (4), co-defender (−2): 5; one more drunk tip (2): 7 still medium, 8 high.
    (RiskFacts(K.CHESS_CARD, recent_tips={C.FRAUD: 2}, checklist=ALL_OK, days_since_inspection=1,
               is_codefender=True), 5, L.MEDIUM),
    (RiskFacts(K.CHESS_CARD, recent_tips={C.FRAUD: 2, C.DRUNK: 1}, checklist=ALL_OK, days_since_inspection=1,
               is_codefender=True), 7, L.MEDIUM),
    (RiskFacts(K.CHESS_CARD, recent_tips={C.FRAUD: 2, C.DRUNK: 1, C.OTHER: 1}, checklist=ALL_OK,
               days_since_inspection=1, is_codefender=True), 8, L.HIGH),
    # Help given (medical, lost person) is not risk.
    (RiskFacts(K.RETAIL, recent_tips={C.MEDICAL: 3, C.LOST_PERSON: 2}, checklist=ALL_OK,
               days_since_inspection=INSPECTED), 0, L.LOW),
    # Two open hazards, none recent nor overdue (4), retail, inspected: 4, medium.
    (RiskFacts(K.RETAIL, open_hazards=2, checklist=ALL_OK, days_since_inspection=INSPECTED), 4, L.MEDIUM),
]


@pytest.mark.parametrize("facts, score, level", CASES)
def test_the_risk_score_and_level_match_the_hand_computed_table(facts, score, level):
    risk = assess(facts)
    assert (risk.score, risk.level) == (score, level)


def test_the_reasons_say_what_added_up_biggest_first():
    risk = assess(RiskFacts(K.KTV, open_hazards=1, overdue_hazards=1, recent_hazards=1,
                            recent_tips={C.THEFT: 2, C.LOST_ITEM: 1}, checklist={**ALL_OK, "camera": False},
                            is_codefender=True))
    reasons = [(r.key, r.points, dict(r.values)) for r in risk.reasons]
    assert reasons == [
        ("shops.risk.tips", 4, {"count": 2, "category": C.THEFT, "days": 90}),
        ("shops.risk.kind", 3, {"kind": K.KTV}),
        ("shops.risk.open_hazards", 2, {"count": 1}),
        ("shops.risk.overdue_hazards", 2, {"count": 1}),
        ("shops.risk.never_inspected", 2, {}),
        ("shops.risk.recent_hazards", 1, {"count": 1, "days": 90}),
        ("shops.risk.missing", 1, {"items": ("camera",)}),
        ("shops.risk.codefender", -2, {}),
    ]
    assert risk.score == 13 and risk.level is L.HIGH


def test_reasons_read_as_the_brief_asks_in_chinese():
    from nightwatch.i18n import label, t

    risk = assess(RiskFacts(K.RETAIL, recent_tips={C.THEFT: 2}, checklist={"extinguisher": True,
                                                                            "fire_exit_clear": True},
                            days_since_inspection=INSPECTED))
    by_key = {r.key: r for r in risk.reasons}
    tips = by_key["shops.risk.tips"].values
    assert t("shops.risk.tips", count=tips["count"], category=label(tips["category"]), days=90) == "近90天 2 起盗窃线索"
    missing = by_key["shops.risk.missing"].values["items"]
    assert t("shops.risk.missing", items="、".join(t(f"shops.item.{i}") for i in missing)) == "缺少:监控摄像头"
