"""German proposals: morgen, nächsten Dienstag, um 15 Uhr, Ende des Monats, bis Freitag…"""

from __future__ import annotations

import pytest

from tests.nlp.activities.helpers import activities, first

TUE = "Tue, 05 Mar 2024 10:12:00 +0100"


@pytest.mark.parametrize(
    "text, kind, start, end, due",
    [
        ("Können wir uns morgen um 14 Uhr treffen?", "meeting", "2024-03-06T14:00:00+01:00", None, None),
        (
            "Wie wäre es mit Donnerstag um 9:30 Uhr für ein Meeting?",
            "meeting",
            "2024-03-07T09:30:00+01:00",
            None,
            None,
        ),
        (
            "Passt Ihnen der 12.03. um 10 Uhr für eine Besprechung?",
            "meeting",
            "2024-03-12T10:00:00+01:00",
            None,
            None,
        ),
        (
            "Können wir am 20. März von 14 bis 15 Uhr einen Termin machen?",
            "meeting",
            "2024-03-20T14:00:00+01:00",
            "2024-03-20T15:00:00+01:00",
            None,
        ),
        ("Treffen wir uns nächste Woche?", "meeting", "2024-03-11", "2024-03-15", None),
        (
            "Hätten Sie übermorgen Nachmittag Zeit für ein Treffen?",
            "meeting",
            "2024-03-07T13:00:00+01:00",
            "2024-03-07T17:00:00+01:00",
            None,
        ),
        (
            "Können wir uns nächsten Dienstag um 15 Uhr treffen?",
            "meeting",
            "2024-03-12T15:00:00+01:00",
            None,
            None,
        ),
        ("Lassen Sie uns Ende des Monats einen Termin vereinbaren.", "meeting", "2024-03-31", None, None),
        ("Bitte senden Sie mir das Angebot bis Freitag.", "task", None, None, "2024-03-08"),
        ("Ich schicke Ihnen die Unterlagen bis Ende der Woche.", "task", None, None, "2024-03-08"),
        ("Bitte bestätigen Sie den Auftrag bis Ende des Monats.", "task", None, None, "2024-03-31"),
        ("Ich melde mich bis zum 15. März bei Ihnen.", "task", None, None, "2024-03-15"),
        ("Wir liefern die Ware in zwei Wochen.", "task", None, None, "2024-03-19"),
        (
            "Bitte rufen Sie mich morgen Vormittag an.",
            "call",
            "2024-03-06T09:00:00+01:00",
            "2024-03-06T12:00:00+01:00",
            None,
        ),
        ("Ich rufe Sie am Montag um 11 Uhr an.", "call", "2024-03-11T11:00:00+01:00", None, None),
    ],
)
def test_german(text, kind, start, end, due):
    activity = first(text, TUE, "de")
    assert activity["type"] == kind
    assert (activity["start"], activity["end"], activity["due"]) == (start, end, due)


def test_german_zone_names():
    activity = first("Können wir um 15 Uhr MESZ telefonieren?", TUE, "de")
    assert (activity["type"], activity["start"], activity["timezone"]) == (
        "call",
        "2024-03-05T15:00:00+01:00",
        "Europe/Berlin",
    )


def test_german_ordinal_date_cut_by_the_sentence_splitter_is_joined_again():
    # The splitter ends a sentence after "14." before a capital; the stage reads it as one date.
    activity = first("Lassen Sie uns am 14. März um 9 Uhr in unserem Büro treffen.", TUE, "de")
    assert (activity["start"], activity["location"]) == ("2024-03-14T09:00:00+01:00", "unserem Büro")


@pytest.mark.parametrize(
    "text",
    [
        "Wir haben uns gestern getroffen.",
        "Vielen Dank für das Meeting letzte Woche.",
        "Das Büro ist am Freitag geschlossen.",
        "Das Treffen am Montag wurde abgesagt.",
        "Guten Morgen Herr Schmidt,",
    ],
)
def test_not_proposals(text):
    assert activities(text, TUE, "de") == []
