# ruff: noqa: RUF001 -- text in many scripts is what these tests are about
"""meta.language: py3langid, ISO 639-1 codes, None when unsure."""

from __future__ import annotations

import pytest

from presspipe.plugins.clean.language import detect_language


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Der Stadtrat hat am Montagabend beschlossen, entlang der Hauptstraße einen Radweg zu bauen.", "de"),
        ("Le conseil municipal a adopté jeudi soir un budget exceptionnel pour les commerçants.", "fr"),
        ("市議会は二日、駅前に新しい図書館を建設する計画を賛成多数で承認した。", "ja"),
        ("市政府星期一宣布，将在明年扩建城市中心公园，新增绿地面积约二十公顷。", "zh"),
        ("Москва сегодня объявила о новых мерах поддержки малого бизнеса в городе.", "ru"),
        ("أعلنت الحكومة اليوم عن خطة جديدة لدعم الشركات الصغيرة في المدينة.", "ar"),
        ("The city council on Tuesday approved a plan to clean up the old harbour.", "en"),
    ],
)
def test_languages_of_news_text(text, code):
    assert detect_language(text) == code


def test_too_little_text_is_no_guess():
    assert detect_language("OK 2020") is None
