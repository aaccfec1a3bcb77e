"""Every visible string comes from one catalog that holds both languages completely."""
from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from nightwatch import i18n, vocab
from nightwatch.i18n import en, zh_cn

ROOT = Path(__file__).resolve().parent.parent
KEY_USE = re.compile(r"""\bt\(\s*["']([a-z_]+(?:\.[a-z0-9_]+)+)["']""")


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_both_languages_hold_the_same_keys():
    assert set(zh_cn.MESSAGES) == set(en.MESSAGES)


@pytest.mark.parametrize("key", sorted(zh_cn.MESSAGES))
def test_a_message_has_the_same_placeholders_in_both_languages(key):
    assert placeholders(zh_cn.MESSAGES[key]) == placeholders(en.MESSAGES[key])
    assert zh_cn.MESSAGES[key].strip() and en.MESSAGES[key].strip()


VOCABULARIES = [v for v in vars(vocab).values() if isinstance(v, type) and issubclass(v, vocab.StrEnum)
                and v is not vocab.StrEnum]


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
    sources = [*ROOT.glob("app.py"), *ROOT.glob("pages/*.py"), *ROOT.glob("nightwatch/**/*.py")]
    used = {key for path in sources for key in KEY_USE.findall(path.read_text(encoding="utf-8"))}
    assert used, "the scan found no t(...) calls: the pattern is broken"
    assert not used - set(zh_cn.MESSAGES)
