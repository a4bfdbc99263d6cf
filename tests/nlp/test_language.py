from __future__ import annotations

import pytest

from nlp.language import detect_language


@pytest.mark.parametrize("text, lang", [
    ("Could we meet next Tuesday to go through the rollout plan with your team?", "en"),
    ("Können wir uns nächste Woche treffen, um den Vertrag zu besprechen?", "de"),
    ("Pourriez-vous m'envoyer le devis avant vendredi, s'il vous plaît ?", "fr"),
    ("来週火曜日の14時からお打ち合わせをお願いできますでしょうか。", "ja"),
    ("よろしく", "ja"),  # two kana are enough
    ("Не могли бы вы прислать счёт до пятницы?", "ru"),
])
def test_languages(text, lang):
    assert detect_language(text)[0] == lang


def test_short_text_follows_the_charset_hint_and_empty_text_has_no_language():
    assert detect_language("OK", hint="ja")[0] == "ja"
    assert detect_language("   ") == (None, 0.0)
