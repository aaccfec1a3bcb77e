"""Printable QR posters for a route's checkpoints (打卡点): an A4 HTML sheet and single PNGs.

Everything a person typed (title, names, notes, URLs) is HTML-escaped; QR images are inline
``data:image/png;base64`` URIs, so the page is self-contained and prints offline.
"""
from __future__ import annotations

import base64
import html
import io
import math
from dataclasses import dataclass

import segno

from nightwatch.i18n import LANGUAGES, t

COLUMNS = 2
ROWS = 3
CARDS_PER_PAGE = COLUMNS * ROWS
QR_ERROR = "m"
QR_BORDER = 4
QR_SCALE_SHEET = 8
QR_SCALE_SINGLE = 12

_CSS = """
@page { size: A4 portrait; margin: 10mm; }
* { box-sizing: border-box; }
html, body { margin: 0; padding: 0; }
body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei",
       "WenQuanYi Micro Hei", sans-serif; color: #000; background: #fff; }
.sheet { width: 190mm; height: 276mm; display: flex; flex-direction: column;
         break-after: page; page-break-after: always; overflow: hidden; }
.sheet:last-of-type { break-after: auto; page-break-after: auto; }
.sheet-head { display: flex; justify-content: space-between; align-items: baseline;
              height: 10mm; font-size: 11pt; border-bottom: 0.3mm solid #000; }
.sheet-head h1 { font-size: 13pt; margin: 0; overflow-wrap: anywhere; }
.grid { flex: 1; display: grid; grid-template-columns: repeat(2, 1fr);
        grid-template-rows: repeat(3, 1fr); gap: 4mm; padding-top: 4mm; }
.card { border: 0.4mm dashed #555; padding: 3mm; display: flex; flex-direction: column;
        align-items: center; justify-content: space-between; text-align: center;
        break-inside: avoid; page-break-inside: avoid; overflow: hidden; }
.label { font-size: 10pt; letter-spacing: 0.2em; margin: 0; }
.name { font-size: 20pt; font-weight: 700; line-height: 1.15; margin: 1mm 0;
        overflow-wrap: anywhere; word-break: break-all; }
.qr { width: 44mm; height: 44mm; image-rendering: pixelated; }
.scan { font-size: 11pt; font-weight: 700; margin: 0; }
.note { font-size: 9pt; margin: 0; overflow-wrap: anywhere; }
.url { font-size: 6.5pt; font-family: monospace; color: #333; margin: 0; overflow-wrap: anywhere; }
@media screen { body { background: #ddd; } .sheet { background: #fff; margin: 5mm auto; padding: 5mm;
                 width: 200mm; height: auto; min-height: 286mm; } }
""".strip()


@dataclass(frozen=True)
class PosterItem:
    """One checkpoint's poster: its name, the signed absolute check-in URL, an optional note."""

    name: str
    url: str
    note: str | None = None


def qr_png(url: str, scale: int) -> bytes:
    """A PNG QR code of exactly this URL: medium error correction, a 4-module quiet zone."""
    buffer = io.BytesIO()
    segno.make(url, error=QR_ERROR).save(buffer, kind="png", scale=scale, border=QR_BORDER)
    return buffer.getvalue()


def poster_png(item: PosterItem) -> bytes:
    """A single poster's QR code as a PNG, large enough to print on its own."""
    return qr_png(item.url, QR_SCALE_SINGLE)


def page_count(n_items: int) -> int:
    """How many A4 sheets n posters take."""
    return math.ceil(n_items / CARDS_PER_PAGE)


def _esc(text: str) -> str:
    """Text made safe for HTML element content and quoted attribute values."""
    return html.escape(str(text), quote=True)


def _card(item: PosterItem, lang: str) -> str:
    """One poster card: label, name, QR image, call to action, note, URL."""
    data = base64.b64encode(qr_png(item.url, QR_SCALE_SHEET)).decode("ascii")
    note = f'<p class="note">{_esc(item.note)}</p>' if item.note else ""
    return (
        '<div class="card">'
        f'<p class="label">{_esc(t("poster.checkpoint", lang))}</p>'
        f'<div class="name">{_esc(item.name)}</div>'
        f'<img class="qr" alt="{_esc(item.name)}" src="data:image/png;base64,{data}">'
        f'<p class="scan">{_esc(t("poster.scan", lang))}</p>'
        f"{note}"
        f'<p class="url">{_esc(item.url)}</p>'
        "</div>"
    )


def poster_html(title: str, items: list[PosterItem], lang: str) -> str:
    """A self-contained printable A4 HTML page: 2×3 QR cards per sheet, one card per item."""
    lang = lang if lang in LANGUAGES else LANGUAGES[0]
    pages = page_count(len(items))
    sheets = []
    for page in range(pages):
        chunk = items[page * CARDS_PER_PAGE:(page + 1) * CARDS_PER_PAGE]
        cards = "".join(_card(item, lang) for item in chunk)
        number = _esc(t("poster.page", lang, page=page + 1, pages=pages))
        sheets.append(
            '<section class="sheet">'
            f'<header class="sheet-head"><h1>{_esc(title)}</h1><span>{number}</span></header>'
            f'<div class="grid">{cards}</div>'
            "</section>"
        )
    body = "\n".join(sheets)
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{_esc(title)}</title>\n<style>\n{_CSS}\n</style>\n</head>\n"
        f"<body>\n{body}\n</body>\n</html>\n"
    )
