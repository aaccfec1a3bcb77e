"""The payload scanner: everything one AppTest run sends to a browser, as text, and the markers found in it.

`payload_of` turns a run into one text blob per element kind (element protos as JSON, st.dataframe's
Arrow bytes decoded to values, map JSON, the files behind download buttons, query parameters);
`leaks` names every marker of the given groups found there: phones in any spelling (plain, +86 with
separators, full-width digits), names, and coordinates printed to a metre or finer.
"""
from __future__ import annotations

import io
import json
import re
import unicodedata
from dataclasses import dataclass, field

import pyarrow as pa
from google.protobuf.json_format import MessageToDict

# Separators inside a phone number as sent: spaces, dashes, brackets, and the backslashes of escaped
# Markdown ("139\\-1234") that the browser drops when it renders.
SEPARATORS = r"[ \u00a0\u3000\-()\\]*"  # not tabs or newlines: those part table cells
# Any unmasked mainland mobile, written plainly, with +86 or with separators (after NFKC folds full-width digits).
ANY_MOBILE = re.compile(rf"(?<![\d.])(?:\+?86{SEPARATORS})?1[3-9]\d{SEPARATORS}\d{{4}}{SEPARATORS}\d{{4}}(?!\d)")


@dataclass
class Markers:
    """What was planted, by group: each value is a literal to look for (phones also in any spelling)."""

    groups: dict[str, dict[str, str]] = field(default_factory=dict)
    tip_ids: dict[str, int] = field(default_factory=dict)
    hazard_id: int = 0
    district_id: int = 0
    shop_id: int = 0
    shop_name: str = ""
    person_name: str = ""

    def count(self, group: str) -> int:
        """How many markers of one group were planted."""
        return len(self.groups.get(group, {}))


def _digits_pattern(digits: str) -> re.Pattern[str]:
    """A phone's digits with any separators between them (full-width already folded by NFKC)."""
    return re.compile(r"(?<![\d.])" + SEPARATORS.join(digits) + r"(?!\d)")


# A printed number with five or more decimals: a metre or finer, what no rough cell centre needs.
PRECISE = re.compile(r"(?<![\d.])-?\d{1,3}\.(\d{5,})")


def _has_place(text: str, value: float) -> bool:
    """True when the text prints the coordinate rounded (or cut) to five decimals or more."""
    return any(abs(float(m.group(0)) - value) < 10 ** -len(m.group(1)) for m in PRECISE.finditer(text))


def _frame_text(data: bytes) -> str:
    """An Arrow IPC payload (st.dataframe) as its column names and every value, one row a line."""
    table = pa.ipc.open_stream(io.BytesIO(data)).read_all()
    lines = ["\t".join(map(str, table.column_names))]
    lines += ["\t".join(map(str, row.values())) for row in table.to_pylist()]
    return "\n".join(lines)


def payload_of(at, downloads: list[bytes] | None = None) -> dict[str, str]:
    """Everything one AppTest run sends, as one text blob per element kind (Arrow and download bytes decoded)."""
    blobs: dict[str, list[str]] = {}

    def visit(node) -> None:
        """Serialise a node's own proto, then its children's."""
        proto = getattr(node, "proto", None)
        kind = getattr(node, "type", type(node).__name__)
        if proto is not None:
            if kind in ("arrow_data_frame", "dataframe", "table") and getattr(proto, "data", b""):
                blobs.setdefault(kind, []).append(_frame_text(proto.data))
                as_dict = MessageToDict(proto)
                as_dict.pop("data", None)
            else:
                as_dict = MessageToDict(proto)
            blobs.setdefault(kind, []).append(json.dumps(_without_streamlit_ids(as_dict), ensure_ascii=False))
        for child in getattr(node, "children", {}).values():
            visit(child)

    visit(at._tree)
    blobs["query_params"] = [json.dumps(dict(at.query_params), ensure_ascii=False)]
    blobs["download"] = [_bytes_text(data) for data in downloads or []]
    return {kind: "\n".join(parts) for kind, parts in blobs.items()}


# Names Streamlit makes up for an element and its files: random hex, whose digit runs can look like a mobile.
STREAMLIT_IDS = ("id", "deferredFileId")
MEDIA_URL = re.compile(r"^/(?:mock/)?media/[0-9a-f]+\.\w+$")


def _without_streamlit_ids(as_dict: dict) -> dict:
    """An element's proto without the identifiers Streamlit generated, which carry nothing of the user's."""
    kept = {key: value for key, value in as_dict.items() if key not in STREAMLIT_IDS}
    if isinstance(kept.get("url"), str) and MEDIA_URL.match(kept["url"]):
        del kept["url"]
    return kept


def element_count(at) -> int:
    """How many elements (and blocks) one AppTest run drew."""
    def count(node) -> int:
        """This node, if it carries a proto, and everything under it."""
        return (getattr(node, "proto", None) is not None) + sum(map(count, getattr(node, "children", {}).values()))
    return count(at._tree)


def _bytes_text(data: bytes | str) -> str:
    """A download's bytes as text: CSV as is, an Excel workbook by its cells."""
    if isinstance(data, str):
        return data
    if data[:2] == b"PK":
        import pandas as pd

        sheets = pd.read_excel(io.BytesIO(data), sheet_name=None, dtype=str)
        return "\n".join(frame.to_csv(index=False) for frame in sheets.values())
    return data.decode("utf-8-sig", errors="replace")


def leaks(blobs: dict[str, str], markers: Markers, groups: tuple[str, ...]) -> list[tuple[str, str, str]]:
    """(group, marker, element kind) for every forbidden marker found; phones in any spelling and any bare mobile."""
    found = []
    planted = [v for values in markers.groups.values() for v in values.values() if v.isdigit()]
    for kind, blob in blobs.items():
        folded = unicodedata.normalize("NFKC", blob)
        for group in groups:
            for label, value in markers.groups.get(group, {}).items():
                if value.isdigit():
                    hit = _digits_pattern(value).search(folded)
                elif group.endswith("places"):
                    hit = _has_place(folded, float(value))
                else:
                    hit = value in folded
                if hit:
                    found.append((group, label, kind))
        if "phones" in groups:
            found += [("phones", f"unmasked mobile {m.group(0)!r}", kind) for m in ANY_MOBILE.finditer(folded)
                      if re.sub(r"\D", "", m.group(0))[-11:] not in planted]
    return found
