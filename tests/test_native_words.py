"""Streamlit's own widget words, reworded from the catalog: the style rules carry the right words, safely."""
from __future__ import annotations

import pytest

from nightwatch.ui.lang import speaking
from nightwatch.ui.native_words import css_text, kinds_label, limits_style, page_style


@pytest.mark.parametrize(("language", "words"), [
    ("zh-CN", ("按回车键确认", "按回车键提交", "按 Ctrl(⌘)+回车键确认", "上传")),
    ("en", ("Press Enter to apply", "Press Enter to submit", "Press Ctrl (⌘) + Enter to apply", "Upload")),
])
def test_every_page_carries_the_enter_hints_and_the_upload_button_in_the_viewers_language(language, words):
    with speaking(language):
        style = page_style()
    assert style.startswith("<style>") and style.endswith("</style>")
    for word in words:
        assert f'content: "{word}"' in style
    assert "[data-testid=stForm] [data-testid=stTextInput]" in style  # in a form, Enter submits it


def test_a_photo_fields_limits_name_jpeg_once_and_use_the_readers_list_separator():
    with speaking("zh-CN"):
        assert kinds_label(["jpg", "jpeg", "png", "webp"]) == "JPG、PNG、WEBP"
        style = limits_style("tip.photo.3", ["jpg", "jpeg", "png", "webp"], 5)
    with speaking("en"):
        assert kinds_label([".CSV", "xlsx"]) == "CSV, XLSX"
    assert ".st-key-tip-photo-3 [data-testid=stFileUploaderDropzoneInstructions] span" in style
    assert 'content: "每个文件不超过 5 MB · JPG、PNG、WEBP"' in style
    assert ".st-key-tip-photo-3 [data-testid=stFileChip][aria-invalid=true]::after" in style  # a refused file says why
    assert "不超过 5 MB 的文件,再试一次" in style


def test_words_cannot_end_the_string_or_the_style_element():
    quoted = css_text('say "hi" \\ </style><script>')
    assert quoted == '"say \\"hi\\" \\\\ \\3c /style>\\3c script>"'
    assert "</" not in quoted
