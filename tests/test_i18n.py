"""Every visible string comes from one catalog that holds both languages completely."""
from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from nightwatch import i18n, vocab

ROOT = Path(__file__).resolve().parent.parent
ZH, EN = i18n.CATALOGS["zh-CN"], i18n.CATALOGS["en"]
# t("area.key") and t(f"area.{...}") calls; the f-string ones are checked by prefix.
KEY_USE = re.compile(r"""\bt\(\s*(f?)["']([a-z_]+\.[a-z0-9_.{}]+)["']""")
# Keys services raise as refusals: Forbidden("access.role"), AccountRefused("accounts.x") …
RAISED = re.compile(r"""(?:Forbidden|Refused|return)\(?\s*["']((?:access|accounts|auth|password)\.[a-z_]+)["']""")


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def sources() -> list[Path]:
    return [*ROOT.glob("app.py"), *ROOT.glob("pages/*.py"), *ROOT.glob("nightwatch/**/*.py")]


def test_both_languages_hold_the_same_keys():
    assert set(ZH) == set(EN) and len(ZH) > 200


@pytest.mark.parametrize("key", sorted(ZH))
def test_a_message_has_the_same_placeholders_in_both_languages(key):
    assert placeholders(ZH[key]) == placeholders(EN[key])
    assert ZH[key].strip() and EN[key].strip()


VOCABULARIES = [v for v in vars(vocab).values()
                if isinstance(v, type) and issubclass(v, vocab.StrEnum) and v is not vocab.StrEnum]


@pytest.mark.parametrize("enum_cls", VOCABULARIES, ids=lambda c: c.__name__)
def test_every_vocabulary_value_reads_as_words_in_both_languages(enum_cls):
    for member in enum_cls:
        for lang in i18n.LANGUAGES:
            assert i18n.label(member, lang) != i18n.vocab_key(member)


def test_chinese_is_the_default_and_english_the_second():
    assert i18n.LANGUAGES == ("zh-CN", "en")
    assert i18n.t("app.name") == "夜巡"
    assert i18n.t("app.name", "en") == "NightWatch"
    assert i18n.language_from("en-US") == "en" and i18n.language_from(None) == "zh-CN"


def test_every_key_the_code_asks_for_exists():
    plain, prefixes = set(), set()
    for path in sources():
        text = path.read_text(encoding="utf-8")
        for is_f, key in KEY_USE.findall(text):
            (prefixes if is_f else plain).add(key.split("{")[0] if is_f else key)
        plain.update(RAISED.findall(text))
    assert plain and prefixes, "the scan found no t(...) calls: the pattern is broken"
    assert not plain - set(ZH)
    assert all(any(k.startswith(p) for k in ZH) for p in prefixes)


def test_every_refusal_key_of_the_pure_geography_modules_reads_as_words():
    keys = set()
    for name in ("coords.py", "gridding.py"):
        keys |= set(re.findall(r'"((?:coords|geojson)\.[a-z_]+)"', (ROOT / "nightwatch" / name).read_text("utf-8")))
    assert keys and not keys - set(ZH)
