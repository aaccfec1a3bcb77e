"""The outbound webhook against a real local HTTP server: shapes per robot, retries, failure, privacy."""
from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from dispatch_world import NOW, add_tip, build
from sqlalchemy import select, update

from db.models import Dispatch, OutboundNotice, Tip
from db.types import utcnow
from nightwatch import webhook
from nightwatch.config import Settings
from nightwatch.services import dispatch as svc
from nightwatch.services import notices
from nightwatch.vocab import TipStatus

SECRET = "key=robot-secret-123"
PRIVATE = ("王小姐", "13712345678", "137****5678", "老李", "merchant-li")


@dataclass
class Robot:
    """A local group robot: what it received, and the statuses it answers with, in turn."""

    url: str
    replies: list[int] = field(default_factory=list)
    received: list[dict] = field(default_factory=list)
    paths: list[str] = field(default_factory=list)


@pytest.fixture
def robot() -> Iterator[Robot]:
    holder: list[Robot] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            state = holder[0]
            body = self.rfile.read(int(self.headers["Content-Length"]))
            state.received.append(json.loads(body.decode("utf-8")))
            state.paths.append(self.path)
            status = state.replies.pop(0) if state.replies else 200
            reply = json.dumps({"errcode": 0, "errmsg": "ok"} if status == 200 else {"error": "boom"}).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(reply)))
            self.end_headers()
            self.wfile.write(reply)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    holder.append(Robot(url=f"http://127.0.0.1:{server.server_port}/cgi-bin/webhook/send?{SECRET}"))
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield holder[0]
    server.shutdown()
    server.server_close()


def settings(url: str | None, kind: str = "wecom") -> Settings:
    return Settings(database_url=None, demo=None, language=None, webhook_url=url, webhook_kind=kind)


def stored(factory) -> list[OutboundNotice]:
    with factory() as s:
        return s.scalars(select(OutboundNotice).order_by(OutboundNotice.id)).all()


def no_sleep(_: float) -> None:
    pass


SHAPES = {
    "wecom": lambda b: b["msgtype"] == "text" and "线索" in b["text"]["content"],
    "dingtalk": lambda b: b["msgtype"] == "text" and "线索" in b["text"]["content"],
    "feishu": lambda b: b["msg_type"] == "text" and "线索" in b["content"]["text"],
    "json": lambda b: b["event"] == "dispatch" and b["category"] == "纠纷" and b["responders"] == ["近"],
}


@pytest.mark.parametrize("kind", webhook.KINDS)
def test_a_dispatch_posts_once_in_the_robots_shape_without_the_reporter(sqlite_url, robot, kind):
    from db.session import make_engine, make_session_factory

    factory = make_session_factory(make_engine(sqlite_url))
    w = build(factory)
    tip = add_tip(factory, w)
    svc.dispatch(session_factory=factory, actor=w.coordinator, tip_id=tip, person_ids=[w.near], now=NOW,
                 settings=settings(robot.url, kind))
    assert len(robot.received) == 1 and SHAPES[kind](robot.received[0])
    assert robot.paths[0].endswith(SECRET)
    text = json.dumps(robot.received[0], ensure_ascii=False)
    assert "#" + str(tip) in text and "东西巷12号门口" in text
    assert not [p for p in PRIVATE if p in text]
    [notice] = stored(factory)
    assert (notice.status, notice.attempts, notice.last_error) == ("sent", 1, None)
    notices.send_pending(session_factory=factory, settings=settings(robot.url, kind))
    assert len(robot.received) == 1  # a sent notice is never sent again


def test_a_500_then_200_is_retried_and_recorded(session_factory, robot):
    w = build(session_factory)
    tip = add_tip(session_factory, w)
    robot.replies[:] = [500]
    key_url = settings(robot.url)
    [first] = svc.dispatch(session_factory=session_factory, actor=w.coordinator, tip_id=tip, person_ids=[w.near],
                           now=NOW, settings=key_url)
    assert len(robot.received) == 2
    [notice] = stored(session_factory)
    assert (notice.status, notice.attempts, notice.last_error) == ("sent", 2, None)
    assert notice.key == f"dispatch:{tip}:{first}"


def test_a_dead_server_fails_after_three_attempts_and_the_dispatch_still_stands(session_factory, robot):
    w = build(session_factory)
    tip = add_tip(session_factory, w)
    robot.replies[:] = [503, 503, 503]
    svc.dispatch(session_factory=session_factory, actor=w.coordinator, tip_id=tip, person_ids=[w.near], now=NOW,
                 settings=settings(robot.url, "feishu"))
    [notice] = stored(session_factory)
    assert (notice.status, notice.attempts) == ("failed", 3)
    assert notice.last_error == "HTTP 503" and SECRET not in notice.last_error
    with session_factory() as s:
        assert s.get_one(Tip, tip).status is TipStatus.DISPATCHED
        assert len(s.scalars(select(Dispatch)).all()) == 1


def test_an_unreachable_url_fails_without_leaking_its_secret(session_factory):
    w = build(session_factory)
    tip = add_tip(session_factory, w)
    dead = settings(f"http://127.0.0.1:9/robot?{SECRET}")
    svc.dispatch(session_factory=session_factory, actor=w.coordinator, tip_id=tip, person_ids=[w.near], now=NOW,
                 settings=dead)
    [notice] = stored(session_factory)
    assert notice.status == "failed" and notice.attempts == 3 and "robot-secret" not in (notice.last_error or "")


def test_an_escalation_posts_its_own_notice(session_factory, robot):
    w = build(session_factory)
    tip = add_tip(session_factory, w)
    on = settings(robot.url)
    svc.dispatch(session_factory=session_factory, actor=w.coordinator, tip_id=tip, person_ids=[w.near], now=NOW, settings=on)
    svc.escalate(session_factory=session_factory, actor=w.coordinator, tip_id=tip, now=NOW + timedelta(minutes=4),
                 settings=on)
    assert [n.kind for n in stored(session_factory)] == ["dispatch", "escalation"]
    assert "升级派单" in robot.received[1]["text"]["content"]


def test_nothing_is_queued_or_sent_when_no_webhook_is_set(session_factory):
    w = build(session_factory)
    tip = add_tip(session_factory, w)
    svc.dispatch(session_factory=session_factory, actor=w.coordinator, tip_id=tip, person_ids=[w.near], now=NOW,
                 settings=settings(None))
    assert stored(session_factory) == []


def test_a_notice_key_is_queued_once(session_factory):
    w = build(session_factory)
    with session_factory.begin() as s:
        assert notices.enqueue(s, key="dispatch:1:1", kind="dispatch", district_id=w.district, body={"a": 1})
        assert not notices.enqueue(s, key="dispatch:1:1", kind="dispatch", district_id=w.district, body={"a": 2})
    assert len(stored(session_factory)) == 1


def test_payload_shapes_and_redaction():
    facts = webhook.NoticeFacts("dispatch", 7, "东西巷", "一号网格", "纠纷", "紧急", "12号门口", ("近", "中"), "06-13 22:30")
    assert webhook.payload("feishu", facts)["content"]["text"].startswith("【夜巡·派单】线索 #7")
    assert webhook.payload("dingtalk", facts) == webhook.payload("wecom", facts)
    assert webhook.redact_url("https://user:pw@qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc") == \
        "https://qyapi.weixin.qq.com/cgi-bin/webhook/send"
    assert webhook.robot_refused("wecom", {"errcode": 93000, "errmsg": "invalid webhook url"}) == "93000 invalid webhook url"
    assert webhook.backoff_s(1) == 0.5 and webhook.backoff_s(2) == 1.0


def test_due_shift_reminders_go_to_the_group_robot_once_each(session_factory, robot):
    import duty_world

    from nightwatch.services.reminders import send_reminders

    world = duty_world.build(session_factory)
    shift = duty_world.add_shift(session_factory, world)
    duty_world.put_on(session_factory, shift, world.alice)
    config = settings(robot.url)
    assert send_reminders(session_factory=session_factory, settings=config, now=duty_world.NOW) == 1
    [body] = robot.received
    assert body["msgtype"] == "text" and "请确认班次" in body["text"]["content"]
    assert "东西巷一号网格" in body["text"]["content"] and "22:00–06:00 (+1)" in body["text"]["content"]
    # The same reminder is never posted twice; a robot that is switched off gets nothing.
    assert send_reminders(session_factory=session_factory, settings=config, now=duty_world.NOW) == 0
    assert send_reminders(session_factory=session_factory, settings=settings(None), now=duty_world.NOW) == 0
    assert len(robot.received) == 1


def test_eight_senders_racing_for_one_pending_notice_post_it_once(session_factory, robot):
    with session_factory.begin() as session:
        notices.enqueue(session, key="reminder:race", kind="reminder", district_id=None, body={"event": "reminder"})
    start = threading.Barrier(8)

    def sender() -> dict[str, str]:
        start.wait(timeout=30)
        return notices.send_pending(session_factory=session_factory, settings=settings(robot.url, "json"),
                                    sleep=no_sleep)

    threads = [threading.Thread(target=sender) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(robot.received) == 1
    [notice] = stored(session_factory)
    assert (notice.status, notice.attempts) == ("sent", 1)


@pytest.mark.parametrize(("claimed_ago", "resent"), [(timedelta(minutes=3), True), (timedelta(seconds=10), False)])
def test_a_notice_whose_sender_died_mid_post_is_sent_by_a_later_sweep(session_factory, robot, claimed_ago, resent):
    with session_factory.begin() as session:
        notices.enqueue(session, key="reminder:crash", kind="reminder", district_id=None, body={"event": "reminder"})
        session.flush()  # attempt 1 was claimed, and its sender died before saying how it went
        session.execute(update(OutboundNotice).values(attempts=1, status="sending", claimed_at=utcnow() - claimed_ago))
    sent = notices.send_pending(session_factory=session_factory, settings=settings(robot.url, "json"))
    assert sent == ({"reminder:crash": "sent"} if resent else {})
    assert len(robot.received) == (1 if resent else 0)
    assert stored(session_factory)[0].status == ("sent" if resent else "sending")
