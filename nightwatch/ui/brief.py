"""The 周报 tab: a week's brief in sentences and figures, and the same as a printable HTML file."""
from __future__ import annotations

from datetime import datetime, timedelta
from html import escape
from zoneinfo import ZoneInfo

import streamlit as st

from nightwatch import brief, i18n
from nightwatch.access import Actor
from nightwatch.figures import Dashboard
from nightwatch.ui.lang import current_language, t

CJK_FONTS = '"Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", "Source Han Sans SC", sans-serif'
STYLE = f"""
@page {{ size: A4; margin: 16mm 14mm; }}
body {{ font-family: {CJK_FONTS}; color: #1f2933; max-width: 180mm; margin: 0 auto; padding: 12px;
       line-height: 1.6; font-size: 11pt; }}
h1 {{ font-size: 17pt; margin: 0 0 2px; }} h2 {{ font-size: 12.5pt; margin: 18px 0 6px; color: #243b53; }}
.dates {{ color: #52606d; margin: 0 0 10px; }}
ul {{ padding-left: 1.2em; margin: 0; }} li {{ margin: 3px 0; }}
table {{ border-collapse: collapse; width: 100%; margin: 4px 0 8px; }}
th, td {{ border: 1px solid #bcccdc; padding: 4px 8px; text-align: left; }}
th {{ background: #f0f4f8; }} td.n {{ text-align: right; font-variant-numeric: tabular-nums; }}
footer {{ margin-top: 18px; color: #7b8794; font-size: 9pt; }}
@media print {{ body {{ padding: 0; max-width: none; }} table, ul {{ page-break-inside: avoid; }}
               h2 {{ page-break-after: avoid; }} }}
"""


def _table(head: list[str], rows: list[list[str]], numeric_from: int = 1) -> str:
    """An HTML table; columns from `numeric_from` on are right-aligned figures."""
    header = "".join(f"<th>{escape(cell)}</th>" for cell in head)
    body = "".join("<tr>" + "".join(
        f'<td{" class=n" if i >= numeric_from else ""}>{escape(str(cell))}</td>' for i, cell in enumerate(row))
        + "</tr>" for row in rows)
    return f"<table><thead><tr>{header}</tr></thead><tbody>{body}</tbody></table>"


def _counts(counts: dict[str, int], vocabulary: str, lang: str) -> list[list[str]]:
    """Rows of (label, count), largest first."""
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return [[i18n.t(f"{vocabulary}.{key}", lang), f"{n:,}"] for key, n in ranked]


def brief_html(board: Dashboard, lang: str, made_at: str) -> str:
    """The brief as one self-contained, printable A4 HTML page: no script, no external resource."""
    def tr(key: str, **values: object) -> str:
        return i18n.t(key, lang, **values)

    kpis = [[tr(f"kpi.label.{row.key}"), brief.value_text(row, lang), brief.row_change_text(row, "previous", lang),
             brief.row_change_text(row, "last_year", lang)] for row in brief.kpi_rows(board)]
    none = [[tr("brief.nothing"), ""]]
    helped = {k: v for k, v in board.current.helped_by_outcome.items() if k in brief.HELPED_OUTCOMES}
    parts = [
        f"<h1>{escape(tr('brief.title', district=board.district_name))}</h1>",
        f"<p class=dates>{escape(tr('brief.subtitle', dates=brief.period_text(board.current.period, lang)))}</p>",
        f"<h2>{escape(tr('brief.summary'))}</h2>",
        "<ul>" + "".join(f"<li>{escape(line)}</li>" for line in brief.sentences(board, lang)) + "</ul>",
        f"<h2>{escape(tr('brief.figures'))}</h2>",
        _table([tr("dashboard.col.kpi"), tr("dashboard.col.value"), tr("dashboard.col.previous"),
                tr("dashboard.col.last_year")], kpis),
        f"<h2>{escape(tr('brief.categories'))}</h2>",
        _table([tr("dashboard.col.category"), tr("dashboard.col.count")],
               _counts(board.current.tips_by_category, "tip_category", lang) or none),
        f"<h2>{escape(tr('brief.outcomes'))}</h2>",
        _table([tr("dashboard.col.outcome"), tr("dashboard.col.count")], _counts(helped, "outcome", lang) or none),
        f"<footer>{escape(tr('brief.generated', at=made_at))}</footer>",
    ]
    html_lang = "zh-CN" if lang == "zh-CN" else "en"
    title = escape(f"{tr('brief.title', district=board.district_name)} {brief.period_text(board.current.period, lang)}")
    return (f'<!DOCTYPE html><html lang="{html_lang}"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1"><title>{title}</title>'
            f"<style>{STYLE}</style></head><body>{''.join(parts)}</body></html>")


def show_brief(actor: Actor, board_of, today) -> None:
    """The week picker, the brief's sentences and figures, and its download; `board_of(day)` reads a week."""
    day = st.date_input(t("brief.week"), value=today - timedelta(days=7), max_value=today, key="brief_week")
    board: Dashboard = board_of(day)
    lang = current_language()
    st.subheader(t("brief.title", district=board.district_name))
    st.caption(t("brief.subtitle", dates=brief.period_text(board.current.period, lang)))
    st.markdown("\n".join(f"- {line}" for line in brief.sentences(board, lang)))
    made_at = datetime.now(ZoneInfo(board.timezone)).strftime("%Y-%m-%d %H:%M")
    document = brief_html(board, lang, made_at)
    st.download_button(t("brief.download"), data=document.encode("utf-8"),
                       file_name=f"brief-{board.current.period.first:%Y%m%d}.html", mime="text/html",
                       icon=":material/print:", key="brief_download", on_click="ignore")
    st.caption(t("brief.print_hint"))
