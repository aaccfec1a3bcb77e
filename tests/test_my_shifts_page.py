"""/my_shifts under AppTest as the demo volunteer: sections, signing up, confirming, the .ics."""
from __future__ import annotations

from test_pages import open_as

PAGE = "pages/45_my_shifts.py"


def buttons(at, prefix: str) -> list:
    return [b for b in at.button if (b.key or "").startswith(prefix)]


def test_the_volunteer_sees_their_shifts_open_slots_and_past_hours(app_env):
    at = open_as("demo-volunteer", PAGE)
    assert not at.exception
    subheaders = [s.value for s in at.subheader]
    assert {"即将到来", "可报名的班次", "同事让出的班次", "过往班次"} <= set(subheaders)
    assert buttons(at, "withdraw_") and buttons(at, "signup_")
    past = at.dataframe[0].value
    assert list(past.columns) == ["勤务日", "地点", "状态", "时长(小时)", "积分"] and len(past) > 0
    assert at.get("download_button")


def test_signing_up_for_an_open_slot_puts_it_among_my_shifts(app_env):
    at = open_as("demo-volunteer", PAGE)
    withdraw_before = len(buttons(at, "withdraw_"))
    signup = buttons(at, "signup_")[0]
    shift_id = signup.key.removeprefix("signup_")
    signup.click().run()
    assert not at.exception
    assert [s.value for s in at.success][0] in ("报名成功,已加入我的班次。", "班次已满,已为您候补;有人退出时自动补上。")
    assert len(buttons(at, "withdraw_")) == withdraw_before + 1
    assert f"signup_{shift_id}" not in [b.key for b in at.button]


def test_confirming_a_shift_says_thank_you_and_its_button_goes(app_env):
    at = open_as("demo-volunteer", PAGE)
    confirm = buttons(at, "confirm_")[0]
    confirm.click().run()
    assert not at.exception
    assert [s.value for s in at.success] == ["已确认,谢谢!"]
    assert confirm.key not in [b.key for b in at.button]


def test_a_coordinator_cannot_open_my_shifts(app_env):
    at = open_as("demo-coordinator", PAGE)
    assert not at.exception
    assert not buttons(at, "signup_") and "不对您的角色开放" in " ".join(w.value for w in at.warning)
