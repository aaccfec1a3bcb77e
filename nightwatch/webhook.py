"""What an outbound notice says, shaped for each group robot (WeCom, DingTalk, Feishu) or plain JSON. Pure.

A notice is about a tip and who was sent; it never carries who reported the tip, a caller's
phone or name, or the reporter's account: robots post into group chats that many people read.
"""
from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

KINDS = ("wecom", "dingtalk", "feishu", "json")
WHAT = {"dispatch": "派单", "escalation": "升级派单", "broadcast": "扩散至网格队伍"}


@dataclass(frozen=True)
class NoticeFacts:
    """The facts a notice may carry; deliberately no reporter or caller fields."""

    kind: str  # "dispatch", "escalation" or "broadcast"
    tip_id: int
    district: str
    grid: str | None
    category: str  # as people read it, e.g. "纠纷"
    urgency: str  # as people read it, e.g. "紧急"
    location: str | None
    responders: tuple[str, ...]
    sent_at: str  # local time as people read it, e.g. "22:41"


def notice_text(facts: NoticeFacts) -> str:
    """The notice in Chinese, one line per fact."""
    lines = [f"【夜巡·{WHAT.get(facts.kind, facts.kind)}】线索 #{facts.tip_id}",
             f"片区:{facts.district}" + (f" · {facts.grid}" if facts.grid else ""),
             f"类别:{facts.category} · {facts.urgency}"]
    if facts.location:
        lines.append(f"位置:{facts.location}")
    lines.append(f"派给:{'、'.join(facts.responders) or '—'}")
    lines.append(f"时间:{facts.sent_at}")
    return "\n".join(lines)


def payload(kind: str, facts: NoticeFacts) -> dict:
    """The JSON body a robot of the kind takes; unknown kinds get our own fields."""
    return text_payload(kind, notice_text(facts), {
        "event": facts.kind, "tip_id": facts.tip_id, "district": facts.district, "grid": facts.grid,
        "category": facts.category, "urgency": facts.urgency, "location": facts.location,
        "responders": list(facts.responders), "sent_at": facts.sent_at})


def text_payload(kind: str, text: str, fields: dict) -> dict:
    """A text message in the robot's own shape; plain JSON gets the fields and the text."""
    if kind in ("wecom", "dingtalk"):
        return {"msgtype": "text", "text": {"content": text}}
    if kind == "feishu":
        return {"msg_type": "text", "content": {"text": text}}
    return {**fields, "text": text}


def reminder_payload(kind: str, person: str, where: str, when: str, hours: int) -> dict:
    """"Please confirm your shift" for the team's group, a day or two hours ahead."""
    text = f"【夜巡·请确认班次】{person}:{where} {when},还有约 {hours} 小时开始,请在“我的班次”里确认到岗。"
    return text_payload(kind, text, {"event": "reminder", "person": person, "where": where, "when": when,
                                     "hours": hours})


def redact_url(url: str) -> str:
    """The URL without its query string or user info: robot keys and secrets live there."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    return urlunsplit((parts.scheme, host, parts.path, "", ""))


def robot_refused(kind: str, body: dict | None) -> str | None:
    """The robot's own error in a 200 reply (WeCom/DingTalk errcode, Feishu code), else None."""
    if not isinstance(body, dict):
        return None
    code = body.get("errcode", body.get("code", body.get("StatusCode", 0)))
    if kind in ("wecom", "dingtalk", "feishu") and code not in (0, None):
        return f"{code} {body.get('errmsg') or body.get('msg') or ''}".strip()
    return None


def backoff_s(attempt: int, base: float = 0.5) -> float:
    """Seconds to wait before the attempt after `attempt` (1-based): 0.5, 1, 2 …"""
    return base * (2 ** (attempt - 1))


def text_of(body: dict) -> str:
    """The words of a payload of any kind."""
    if isinstance(body.get("content"), dict):
        return str(body["content"].get("text", ""))
    if isinstance(body.get("text"), dict):
        return str(body["text"].get("content", ""))
    return str(body.get("text", ""))
