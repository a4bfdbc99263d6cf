"""The common reply layouts, one test per mail, each checking the new text and the key zones."""

from __future__ import annotations

import pytest

from tests.nlp.zoning.conftest import zone_doc

CASES = {
    "english_gmail_reply": (
        "Hi Anna,\n\nThanks for the quick turnaround. The numbers look good to me.\n\nBest regards,\n\nJef\n\n"
        "On Tue, Nov 24, 2026 at 3:12 PM, Anna Smith <anna@example.com> wrote:\n> Hi Jef,\n>\n"
        "> Attached are the Q4 numbers.\n>\n> Anna\n",
        "Hi Anna,\n\nThanks for the quick turnaround. The numbers look good to me.\n\nBest regards,\n\nJef",
        {"Hi Anna,": "greeting", "Best regards,": "closing", "Jef": "closing",
         "On Tue, Nov 24, 2026 at 3:12 PM, Anna Smith <anna@example.com> wrote:": "quote_header",
         "> Attached are the Q4 numbers.": "quoted"},
    ),
    "english_signature_block": (
        "Hello team,\n\nThe contract is signed; I will send the scan tomorrow.\n\nKind regards,\nJohn Miller\n\n"
        "--\nJohn Miller\nSenior Account Executive | Northwind Traders Ltd\nTel: +1 (415) 555-0142\n"
        "john.miller@northwind.example.com\nwww.northwind.example.com\n",
        "Hello team,\n\nThe contract is signed; I will send the scan tomorrow.\n\nKind regards,\nJohn Miller",
        {"Tel: +1 (415) 555-0142": "signature", "john.miller@northwind.example.com": "signature",
         "Kind regards,": "closing"},
    ),
    "german_reply": (
        "Hallo Herr Weber,\n\nvielen Dank für das Angebot. Wir bestellen 120 Stück.\n\nMit freundlichen Grüßen\n"
        "Anna Becker\n\nAm Mo., 23. Nov. 2026 um 09:15 Uhr schrieb Thomas Weber <t.weber@beispiel.de>:\n"
        "> Sehr geehrte Frau Becker,\n>\n> anbei unser Angebot.\n",
        "Hallo Herr Weber,\n\nvielen Dank für das Angebot. Wir bestellen 120 Stück.\n\nMit freundlichen Grüßen\n"
        "Anna Becker",
        {"Am Mo., 23. Nov. 2026 um 09:15 Uhr schrieb Thomas Weber <t.weber@beispiel.de>:": "quote_header",
         "Mit freundlichen Grüßen": "closing"},
    ),
    "german_outlook_block": (
        "Danke, passt so.\n\nGruß\nStefan\n\n-----Ursprüngliche Nachricht-----\nVon: Julia Fischer <j.fischer@beispiel.de>\n"
        "Gesendet: Montag, 23. November 2026 10:12\nAn: Stefan Wagner\nBetreff: Lieferung KW 49\n\n"
        "Hallo Stefan,\n\ndie Lieferung kommt am Donnerstag.\n\nViele Grüße\nJulia\n",
        "Danke, passt so.\n\nGruß\nStefan",
        {"Von: Julia Fischer <j.fischer@beispiel.de>": "quote_header", "Betreff: Lieferung KW 49": "quote_header",
         "die Lieferung kommt am Donnerstag.": "quoted"},
    ),
    "french_outlook_reply": (
        "Bonjour Pierre,\n\nMerci, je valide le devis.\n\nCordialement,\nSophie Martin\n\n"
        "De : Pierre Durand <p.durand@exemple.fr>\nEnvoyé : lundi 23 novembre 2026 10:12\nÀ : Sophie Martin\n"
        "Objet : Devis 2026-118\n\nBonjour Sophie,\n\nVous trouverez ci-joint le devis.\n\nPierre\n",
        "Bonjour Pierre,\n\nMerci, je valide le devis.\n\nCordialement,\nSophie Martin",
        {"De : Pierre Durand <p.durand@exemple.fr>": "quote_header", "Vous trouverez ci-joint le devis.": "quoted"},
    ),
    "french_gmail_two_lines": (
        "Parfait, merci !\n\nLe lun. 23 nov. 2026 à 10:12, Pierre Durand <p.durand@exemple.fr>\na écrit :\n\n"
        "> Bonjour,\n> La livraison est prévue vendredi.\n",
        "Parfait, merci !",
        {"a écrit :": "quote_header", "> La livraison est prévue vendredi.": "quoted"},
    ),
    "forward_with_note": (
        "FYI, see the customer's request below.\n\n---------- Forwarded message ---------\n"
        "From: Laura Davis <laura@globex.example>\nDate: Mon, Nov 23, 2026 at 10:12 AM\nSubject: Pricing\n"
        "To: Sales <sales@acme.example>\n\nHi,\n\nCould you send us your price list?\n\nLaura\n",
        "FYI, see the customer's request below.",
        {"---------- Forwarded message ---------": "forwarded", "Could you send us your price list?": "forwarded"},
    ),
    "mobile_footer": (
        "Sounds good, see you at 2.\n\nSent from my iPhone\n\nOn Nov 23, 2026, at 10:12, Tom Clark <tom@example.com> wrote:\n\n"
        "> Can we meet at 2 instead of 1?\n",
        "Sounds good, see you at 2.",
        {"Sent from my iPhone": "mobile_footer", "> Can we meet at 2 instead of 1?": "quoted"},
    ),
    "mobile_footer_german_and_french": (
        "Ja, passt.\n\nVon meinem iPhone gesendet\n",
        "Ja, passt.",
        {"Von meinem iPhone gesendet": "mobile_footer"},
    ),
    "disclaimer": (
        "Hi Kate,\n\nPlease find the invoice attached.\n\nThanks,\nDavid\n\n"
        "CONFIDENTIALITY NOTICE: This e-mail and any attachments are confidential and intended solely for the\n"
        "addressee. If you have received this e-mail in error, please notify the sender and delete it.\n",
        "Hi Kate,\n\nPlease find the invoice attached.\n\nThanks,\nDavid",
        {"addressee. If you have received this e-mail in error, please notify the sender and delete it.": "disclaimer"},
    ),
    "list_footer": (
        "Hi folks\n\nWhat is the best way to clear a bucket after running a test?\n\n-Abhishek\n\n"
        "_______________________________________________\nriak-users mailing list\nriak-users@lists.example.org\n"
        "http://lists.example.org/mailman/listinfo/riak-users\n",
        "Hi folks\n\nWhat is the best way to clear a bucket after running a test?\n\n-Abhishek",
        {"riak-users mailing list": "list_footer",
         "http://lists.example.org/mailman/listinfo/riak-users": "list_footer"},
    ),
    "no_quote_at_all": (
        "On the other hand, the timeline looks tight.\n\nOn Thursday we review it again.\n",
        "On the other hand, the timeline looks tight.\n\nOn Thursday we review it again.",
        {"On the other hand, the timeline looks tight.": "new_text"},
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_case(zone_component, name: str) -> None:
    body, new_text, expected = CASES[name]
    doc = zone_doc(zone_component, body)
    zone = {}
    for line, z in zip(body.split("\n"), doc["zones"]):
        zone.setdefault(line, z)
    assert doc["new_text"] == new_text
    for line, z in expected.items():
        assert zone[line] == z, (line, zone[line])


def test_new_text_excludes_signature_and_quotes(zone_component) -> None:
    body, _, _ = CASES["english_signature_block"]
    doc = zone_doc(zone_component, body + "\nOn Mon, Nov 23, 2026 at 9:00 AM, Kate <kate@example.com> wrote:\n> old\n")
    assert "555-0142" not in doc["new_text"] and "> old" not in doc["new_text"] and "wrote" not in doc["new_text"]
