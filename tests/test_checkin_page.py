"""/checkin under AppTest on the seeded demo: each role opening a checkpoint's QR link."""
from __future__ import annotations

from sqlalchemy import func, select
from test_pages import open_as

from db.models import Account, AuditEvent, CheckIn, Checkpoint, Person
from nightwatch.geo import offset_point
from nightwatch.services import setup
from nightwatch.signing import sign_checkpoint
from nightwatch.ui.checkin_location import CHOSEN_KEY

PAGE = "pages/47_checkin.py"


def demo_point() -> tuple[int, str, str, tuple[float, float]]:
    """A checkpoint of the demo volunteer's district: id, valid signature, name, position."""
    store = setup.open_store()
    with store.session_factory() as s:
        district = s.scalar(select(Person.district_id).join(Account, Account.person_id == Person.id)
                            .where(Account.login == "demo-volunteer"))
        point = s.scalars(select(Checkpoint).where(Checkpoint.district_id == district, Checkpoint.active)
                          .order_by(Checkpoint.id)).first()
        found = point.id, sign_checkpoint(point.id, point.secret), point.name, (point.lat, point.lon)
    store.engine.dispose()
    return found


def scan(login: str | None, cp: str, sig: str, **state):
    """Open the check-in page as a role with the link's query parameters."""
    at = open_as(login)
    at.query_params["cp"], at.query_params["sig"] = cp, sig
    for key, value in state.items():
        at.session_state[key] = value
    return at.switch_page(PAGE).run()


def rows(model, *where) -> int:
    store = setup.open_store()
    with store.session_factory() as s:
        count = s.scalar(select(func.count()).select_from(model).where(*where))
    store.engine.dispose()
    return count


def shown(at) -> str:
    return " ".join(str(e.value) for e in [*at.markdown, *at.caption, *at.info, *at.success, *at.warning, *at.error,
                                           *at.subheader])


def tamper(sig: str) -> str:
    return ("A" if sig[0] != "A" else "B") + sig[1:]


def test_the_volunteer_sees_the_point_and_only_a_tap_checks_in(app_env):
    cp, sig, name, _ = demo_point()
    before = rows(CheckIn)
    at = scan("demo-volunteer", str(cp), sig)
    assert not at.exception
    assert f"打卡点:{name}" in shown(at) and rows(CheckIn) == before  # opening the link records nothing
    at.button(key="checkin_tap").click().run()
    assert not at.exception
    [done] = at.success
    assert done.value.startswith(f"已在「{name}」打卡 · ") and len(done.value.rsplit(" ", 1)[-1]) == 5  # HH:MM
    assert rows(CheckIn) == before + 1
    assert not [b for b in at.button if b.key == "checkin_tap"]  # the confirmation replaces the button
    again = scan("demo-volunteer", str(cp), sig)
    again.button(key="checkin_tap").click().run()
    assert [i.value for i in again.info][0].startswith("重复扫码,已记为一次") and rows(CheckIn) == before + 1


def test_the_phone_location_is_shown_with_its_distance(app_env):
    cp, sig, _, point = demo_point()
    lat, lon = offset_point(*point, 40, 0)
    at = scan("demo-volunteer", str(cp), sig, **{CHOSEN_KEY: {"lat": lat, "lon": lon, "accuracy": 8}})
    assert "已附上位置(精度约 8 米)" in shown(at)
    at.button(key="checkin_tap").click().run()
    assert "手机距打卡点约 40 米。" in shown(at)


def test_a_tampered_link_is_refused_once_and_says_nothing_about_the_point(app_env):
    cp, sig, name, _ = demo_point()
    at = scan("demo-volunteer", str(cp), tamper(sig))
    assert not at.exception
    assert [e.value for e in at.error] == ["这个二维码无效或已更换,不能打卡。已记录,调度员会核实。请联系带队人员。"]
    assert name not in shown(at) and not [b for b in at.button if b.key == "checkin_tap"]
    at.run()
    assert rows(AuditEvent, AuditEvent.action == "checkin.refused") == 1


def test_someone_not_signed_in_learns_the_point_and_signs_in_to_come_back(app_env):
    cp, sig, name, _ = demo_point()
    at = scan(None, str(cp), sig)
    assert not at.exception
    assert f"这是「{name}」的打卡码" in shown(at)
    assert [i.label for i in at.text_input] == ["账号", "密码"]
    forged = scan(None, str(cp), tamper(sig))
    assert forged.error and name not in shown(forged) and not forged.text_input


def test_a_coordinator_tests_the_poster_and_nothing_is_recorded(app_env):
    cp, sig, name, _ = demo_point()
    before = rows(CheckIn)
    at = scan("demo-coordinator", str(cp), sig)
    assert [s.value for s in at.success] == [f"二维码有效:{name},属于 东西巷"]
    assert not [b for b in at.button if b.key == "checkin_tap"] and rows(CheckIn) == before


def test_a_merchant_is_refused_politely_and_a_garbled_link_explained(app_env):
    cp, sig, _, _ = demo_point()
    assert "商户账号无需打卡" in shown(scan("demo-merchant", str(cp), sig))
    for bad_cp, bad_sig in [("", ""), ("12a", sig), (str(cp), ""), ("9" * 40, sig)]:
        at = scan("demo-volunteer", bad_cp, bad_sig)
        assert not at.exception
        assert [w.value for w in at.warning] == ["这个打卡链接不完整。请重新扫描打卡点上的二维码。"]
