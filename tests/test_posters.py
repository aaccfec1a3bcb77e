"""Printed checkpoint posters: one exact QR per checkpoint, hostile names stay text, A4 sheets of six."""
from __future__ import annotations

import base64
import io
import math
from dataclasses import FrozenInstanceError
from html.parser import HTMLParser

import pytest
import segno

from nightwatch.posters import (
    CARDS_PER_PAGE,
    QR_BORDER,
    QR_ERROR,
    QR_SCALE_SHEET,
    QR_SCALE_SINGLE,
    PosterItem,
    poster_html,
    poster_png,
)

DATA_URI = "data:image/png;base64,"
ALLOWED_TAGS = {"html", "head", "meta", "title", "style", "body", "section", "header", "h1", "span",
                "div", "img", "p"}
HOSTILE = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "'><svg onload=alert(1)>",
    "</style><script>alert(2)</script>",
    "&lt;already escaped&gt; & more",
]


class Page(HTMLParser):
    """Collects the tags, attributes, QR image sources and visible text of a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str | None]] = []
        self.images: list[dict[str, str | None]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs.extend(attrs)
        if tag == "img":
            self.images.append(dict(attrs))

    def handle_data(self, data):
        self.text.append(data)


def parse(page: str) -> Page:
    parser = Page()
    parser.feed(page)
    parser.close()
    return parser


def segno_png(url: str, scale: int) -> bytes:
    buffer = io.BytesIO()
    segno.make(url, error=QR_ERROR).save(buffer, kind="png", scale=scale, border=QR_BORDER)
    return buffer.getvalue()


def items(n: int) -> list[PosterItem]:
    return [PosterItem(f"管家巷{i}号口", f"https://nw.example.cn/checkin?cp={i}&sig=S{i:021d}", None)
            for i in range(n)]


def test_a_poster_item_is_frozen():
    item = PosterItem("风华路夜市", "https://nw.example.cn/checkin?cp=1&sig=x", "东口")
    with pytest.raises(FrozenInstanceError):
        item.name = "x"  # type: ignore[misc]


def test_each_item_gets_one_qr_image_of_exactly_its_url():
    posters = items(7)
    page = parse(poster_html("万达金街夜巡", posters, "zh-CN"))
    assert len(page.images) == len(posters)
    for item, image in zip(posters, page.images):
        src = image["src"] or ""
        assert src.startswith(DATA_URI)
        assert base64.b64decode(src[len(DATA_URI):], validate=True) == segno_png(item.url, QR_SCALE_SHEET)
    sources = [image["src"] for image in page.images]
    assert len(set(sources)) == len(sources)


def test_a_single_poster_png_is_the_qr_of_exactly_its_url():
    item = PosterItem("九宫庙", "https://nw.example.cn/checkin?cp=9&sig=abc", None)
    png = poster_png(item)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert png == segno_png(item.url, QR_SCALE_SINGLE)
    assert png != poster_png(PosterItem("九宫庙", "https://nw.example.cn/checkin?cp=9&sig=abd", None))


@pytest.mark.parametrize("hostile", HOSTILE)
def test_hostile_text_is_escaped_everywhere(hostile):
    poster = PosterItem(hostile, "https://nw.example.cn/checkin?cp=1&sig=x" + hostile, hostile)
    raw = poster_html(hostile, [poster], "zh-CN")
    page = parse(raw)
    assert set(page.tags) <= ALLOWED_TAGS
    assert page.tags.count("script") == page.tags.count("svg") == 0 and page.tags.count("img") == 1
    assert not [name for name, _ in page.attrs if name.startswith("on") or name == "x"]
    assert "<script" not in raw.lower() and "<svg" not in raw.lower() and "<img src=x" not in raw
    assert raw.lower().count("</style>") == 1
    text = "".join(page.text)
    assert text.count(hostile) >= 4  # title, heading, name, note (the URL also carries it)
    assert page.images[0]["alt"] == hostile


@pytest.mark.parametrize("lang, label, scan", [("zh-CN", "打卡点", "扫码打卡"), ("en", "Check-in point", "Scan to check in")])
def test_chinese_names_appear_verbatim_with_labels_in_the_language(lang, label, scan):
    names = ["襄阳管家巷北口", "浏河镇·老街 3号", "桂林东西巷(南)"]
    posters = [PosterItem(name, f"https://nw.example.cn/checkin?cp={i}&sig=s", "夜市出入口") for i, name in enumerate(names)]
    raw = poster_html("东西巷夜间巡线", posters, lang)
    for name in names:
        assert f">{name}<" in raw
    assert raw.count(label) >= len(names) and raw.count(scan) == len(names)
    assert f'<html lang="{lang}">' in raw and '<meta charset="utf-8">' in raw


def test_an_unknown_language_falls_back_to_chinese():
    raw = poster_html("巡线", items(1), "fr")
    assert '<html lang="zh-CN">' in raw and "扫码打卡" in raw


def test_the_page_is_printable_a4_and_self_contained():
    raw = poster_html("巡线", items(2), "zh-CN")
    assert "@page" in raw and "A4" in raw
    assert "http" not in raw.replace("https://nw.example.cn/checkin", "")  # no external assets


@pytest.mark.parametrize("n", [0, 1, 5, 6, 7, 12, 13, 25])
def test_page_count_is_ceil_of_items_over_cards_per_page(n):
    page = parse(poster_html("巡线", items(n), "zh-CN"))
    assert CARDS_PER_PAGE in (6, 8)
    assert page.tags.count("section") == math.ceil(n / CARDS_PER_PAGE)
    assert page.tags.count("img") == n
