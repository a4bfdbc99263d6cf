"""A disclaimer paragraph is zoned as a whole (issue 5): lines inside it that the model labelled
new_text, closing or quoted are corrected, and nothing else is touched. Examples written by the project."""

from __future__ import annotations

from nlp.zoning.zoner import disclaimer_paragraphs

EN = ["This message and any attachment are confidential and intended",
      "solely for the addressee. If you received it in error, please",
      "delete it and notify the sender. Northwind accepts no liability",
      "for changes made to this message after it was sent."]


def _zones(lines: list[str], **by_line: str) -> list[str]:
    zones = ["new_text"] * len(lines)
    for key, zone in by_line.items():
        a, _, b = key[1:].partition("_")
        for i in range(int(a), int(b or a) + 1):
            zones[i] = zone
    return zones


def test_the_lines_of_a_disclaimer_paragraph_at_the_end_become_disclaimer() -> None:
    lines = ["Paid today.", "", "Thanks,", "Ola", "", *EN]
    zones = _zones(lines, L2_3="closing", L4="closing", L5="closing", L6_7="disclaimer", L8="new_text")
    out = disclaimer_paragraphs(lines, zones)
    assert out[5:9] == ["disclaimer"] * 4
    assert out[:5] == zones[:5]


def test_two_disclaimers_with_a_rule_between_are_both_corrected() -> None:
    fr = ["Ce message et ses pieces jointes sont confidentiels et destines",
          "exclusivement a leurs destinataires. Si vous le recevez par erreur,",
          "merci de le detruire et d'en avertir l'expediteur."]
    lines = ["Paid today.", "", *EN, "", "      ---------------------", "", *fr]
    zones = _zones(lines, L2_3="disclaimer", L4_5="new_text", L7="quoted", L9="quoted",
                   L10_11="disclaimer")
    out = disclaimer_paragraphs(lines, zones)
    assert out[2:6] == ["disclaimer"] * 4
    assert out[9:12] == ["disclaimer"] * 3
    assert out[7] == "quoted"  # the rule itself is left as it was


def test_a_sign_off_and_name_written_right_above_a_disclaimer_stay_the_closings() -> None:
    lines = ["Paid today.", "", "Best,", "Jeff", *EN]
    zones = _zones(lines, L2_3="closing", L4_6="disclaimer", L7="new_text")
    out = disclaimer_paragraphs(lines, zones)
    assert out[2:4] == ["closing", "closing"]
    assert out[7] == "disclaimer"


def test_a_paragraph_the_author_goes_on_after_is_not_touched() -> None:
    lines = ["Our confidential pricing is attached and intended",
             "solely for the board, so please do not forward", "it to anyone.", "",
             "The meeting moved to Thursday."]
    zones = _zones(lines, L0_1="disclaimer")
    assert disclaimer_paragraphs(lines, zones) == zones


def test_signature_lines_and_quoted_lines_are_never_changed() -> None:
    lines = ["Paid today.", "", "Ola Berg", "Northwind Ltd", EN[0], EN[1]]
    zones = _zones(lines, L2_3="signature", L4_5="disclaimer")
    assert disclaimer_paragraphs(lines, zones) == zones
    lines = ["Paid today.", "", "> " + EN[0], "> " + EN[1], "> " + EN[2]]
    zones = _zones(lines, L2="quoted", L3_4="disclaimer")
    assert disclaimer_paragraphs(lines, zones) == zones


def test_one_disclaimer_line_is_not_enough() -> None:
    lines = ["Paid today.", "", *EN]
    zones = _zones(lines, L2="disclaimer")
    assert disclaimer_paragraphs(lines, zones) == zones


def test_the_zoner_applies_the_rule(zoner, monkeypatch) -> None:
    import nlp.zoning.zoner as module

    seen: list[int] = []

    def spy(lines: list[str], zones: list[str]) -> list[str]:
        seen.append(len(lines))
        return disclaimer_paragraphs(lines, zones)

    monkeypatch.setattr(module, "disclaimer_paragraphs", spy)
    body = "Paid today.\n\nThanks,\nOla\n\n" + "\n".join(EN)
    zoning = zoner(body)
    assert seen == [len(body.split("\n"))]
    assert zoning.zones[5:] == ["disclaimer"] * 4


def test_a_mail_whose_line_breaks_were_lost_is_not_swallowed_by_two_stray_disclaimer_lines() -> None:
    lines = ["Attached is the revised credit watch list for this week.",
             "Please note that three counterparties were moved to the watch list.",
             "Two new additions require prepayment before any further trades are made.",
             "The traders were told this morning and the desks have confirmed it.",
             "If anyone in your group was left off this distribution, please let us know.",
             "If this report reached you in error, please delete it and tell the sender."]
    zones = _zones(lines, L4_5="disclaimer")
    assert disclaimer_paragraphs(lines, zones) == zones  # 2 of 6 lines: not a disclaimer paragraph
    zones = _zones(lines, L3_5="disclaimer")
    out = disclaimer_paragraphs(lines, zones)
    assert out[:3] == ["new_text"] * 3  # half of them: the gap is filled from the first disclaimer line down only
