from __future__ import annotations

import pytest

from nlp.sentences import split_sentences


def texts(text: str) -> list[str]:
    return [s.text for s in split_sentences(text)]


def test_wrapped_english_mail():
    body = ("Hi Alex,\n\nCould we set up a call next Tuesday at 3pm EST to go through the rollout plan? I'd\n"
            "like to bring our ops lead, Mr. Reid. The price is EUR 3.50 per seat, e.g. for 50 seats.\n\n"
            "Best regards,\nSarah")
    assert texts(body) == ["Hi Alex,", "Could we set up a call next Tuesday at 3pm EST to go through the rollout "
                           "plan?", "I'd like to bring our ops lead, Mr. Reid.",
                           "The price is EUR 3.50 per seat, e.g. for 50 seats.", "Best regards,", "Sarah"]


def test_japanese_sentences_end_at_full_width_punctuation():
    assert texts("お世話になっております。来週火曜日はいかがでしょうか？よろしくお願いいたします！") == [
        "お世話になっております。", "来週火曜日はいかがでしょうか？", "よろしくお願いいたします！"]


def test_bullets_stay_separate_and_offsets_point_into_the_text():
    body = "We need three things from you before the kickoff meeting:\n- the signed contract\n- the logo"
    sentences = split_sentences(body)
    assert [s.text for s in sentences][1:] == ["- the signed contract", "- the logo"]
    assert all(" ".join(body[s.start:s.end].split()) == s.text for s in sentences)


@pytest.mark.timeout(10)
def test_hostile_text_is_cut_in_bounded_time():
    huge = "a." * 500_000 + "x" * 1_000_000
    sentences = split_sentences(huge)
    assert max(len(s.text) for s in sentences) <= 1000


def test_german_ordinal_dates_do_not_end_a_sentence():
    assert texts("Können wir uns am 14. März um 9 Uhr treffen? Danke.") == [
        "Können wir uns am 14. März um 9 Uhr treffen?", "Danke."]
