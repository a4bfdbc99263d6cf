"""Block detection under the closing and over the footers (issue 5; examples written by the project, not
taken from any data set): "Cordially" as a sign-off, a one-line signature right under the closing, a
signature above a disclaimer in two languages, and a list of people with their numbers."""

from __future__ import annotations

from nlp.signature.text import is_sign_off
from tests.nlp.signature.block_zones import zones_for
from tests.nlp.signature.helpers import signature_of


def test_cordially_is_a_sign_off_and_the_name_under_it_is_the_closings() -> None:
    assert is_sign_off("Cordially,")
    assert is_sign_off("Warmly,")
    body = ("The revised schedule is attached.\n\nCordially,\nRuth Alvarez\nHarbor Point Logistics LLC\n"
            "(617) 555-0190\nruth.alvarez@harborpoint.example")
    sig = signature_of(body, zones_for(body, L2_3="closing", L4_6="signature"),
                       sender=("Ruth Alvarez", "ruth.alvarez@harborpoint.example"))
    assert sig["lines"] == [4, 5, 6]
    assert sig["fields"]["name"] == "Ruth Alvarez"


def test_a_company_with_its_legal_form_under_the_sign_off_is_a_one_line_signature() -> None:
    body = "Please find the March statement attached.\n\nThank you,\n\nHarborline Clearing Services, Inc.\n"
    sig = signature_of(body, zones_for(body, L2_4="closing"),
                       sender=("Statements", "statements@harborline.example"))
    assert sig["lines"] == [4]
    assert sig["fields"]["company"] == "Harborline Clearing Services, Inc."
    assert sig["fields"]["name"] != "Harborline Clearing Services, Inc."


def test_a_phone_number_under_the_signers_name_is_a_one_line_signature() -> None:
    body = "Call me if the numbers look off.\n\nDana\n(212) 555-0133\n"
    sig = signature_of(body, zones_for(body), sender=("Dana Whitfield", "dana@whitfield.example"))
    assert sig["lines"] == [3]
    assert sig["fields"]["phones"][0]["number"] == "+12125550133"


def test_a_lone_line_needs_the_closing_above_it() -> None:
    # the same number under a sentence is the message's content, not a signature
    body = "The front desk number changed last week, the new one is below.\n(212) 555-0133\n"
    sig = signature_of(body, zones_for(body), sender=("Dana Whitfield", "dana@whitfield.example"))
    assert sig is None or not sig["lines"]


def test_a_signature_above_a_disclaimer_in_two_languages_is_found() -> None:
    # the zoning missed the signature; the disclaimer's two parts are separated by a rule that the
    # zoning put in no footer zone: the rule used to stop the bottom-up search for the signature
    body = ("Both invoices are paid.\n\nThanks,\n\nOrla Byrne\nKestrel Freight Ltd.\n+353 1 555 0199\n\n\n"
            "This e-mail and any attachment are confidential and intended solely for\n"
            "the addressee. If you are not the addressee, please delete it and tell\n"
            "the sender. Kestrel Freight accepts no liability for changes made to it.\n"
            "          ------------------------------------\n"
            "Ce message et toutes les pieces jointes sont confidentiels et etablis\n"
            "a l'intention exclusive de ses destinataires. Si vous le recevez par\n"
            "erreur, merci de le detruire et d'en avertir l'expediteur.")
    labels = zones_for(body, L2="closing", L9_11="disclaimer", L12="quoted", L13_15="disclaimer")
    sig = signature_of(body, labels, sender=("Orla Byrne", "orla.byrne@kestrel.example"))
    assert sig["lines"] == [4, 5, 6]
    assert sig["fields"]["phones"][0]["number"] == "+35315550199"


def test_a_list_of_people_with_their_numbers_is_not_a_signature() -> None:
    body = ("Thanks\n\nkm\n\n\nNorthwind:  Peter Olsen  713-555-0101\n\n"
            "Contoso:  Maria Silva  713-555-0102\n\nFabrikam:  Tom Berg  713-555-0103\n\n"
            "Litware:  Ann Cole  713-555-0104\n")
    sig = signature_of(body, zones_for(body, L0_2="closing"),
                       sender=("Kim Moore", "kim.moore@northwind.example"))
    assert sig is None or not sig["lines"]


def test_one_persons_labelled_numbers_are_still_a_signature() -> None:
    body = ("See you Monday.\n\nJane Doe\nAcme Widgets Inc.\nTel: 713-555-0101\n"
            "Mobile: 713-555-0102\nFax: 713-555-0103\n")
    sig = signature_of(body, zones_for(body), sender=("Jane Doe", "jane.doe@acme.example"))
    assert sig["lines"] == [2, 3, 4, 5, 6]
    assert len(sig["fields"]["phones"]) == 3


def test_a_list_of_desks_with_their_numbers_is_not_a_signature() -> None:
    body = ("The portal is back up.\n\nFOR HELP\nService Desk\t\t(713) 555-0140\nBilling Support\t\t(713) 555-0141\n"
            "Network On-Call\t\t(713) 555-0142  [Pager]\nTrading Floor Support\t(713) 555-0143  [Pager]\n"
            "Payroll Questions\t(713) 555-0144\nBadge Office\t\t(713) 555-0145\n")
    sig = signature_of(body, zones_for(body), sender=("Kim Moore", "kim.moore@northwind.example"))
    assert sig is None or not sig["lines"]


def test_a_signature_with_four_offices_is_still_a_signature() -> None:
    body = ("See you Monday.\n\nJane Doe\nAcme Widgets Inc.\nNew York +1 212 555 0101\n"
            "London +44 20 7946 0958\nHong Kong +852 2555 0103\nTokyo +81 3 5555 0104\n")
    sig = signature_of(body, zones_for(body), sender=("Jane Doe", "jane.doe@acme.example"))
    assert sig["lines"] == [2, 3, 4, 5, 6, 7]
    assert len(sig["fields"]["phones"]) == 4


def test_a_compact_signature_with_addresses_beside_the_numbers_is_a_signature() -> None:
    body = ("See you Monday.\n\nJane Doe\nT: +1 212 555 0100 | E: jane@acme.example\n"
            "M: +1 917 555 0101 | W: www.acme.example\nF: +1 212 555 0102 | 123 Main Street\n"
            "D: +1 212 555 0103 | New York, NY 10001\n")
    sig = signature_of(body, zones_for(body), sender=("Jane Doe", "jane@acme.example"))
    assert sig is not None and 3 in sig["lines"] and 6 in sig["lines"]



def test_a_signature_with_six_offices_under_title_and_company_is_a_signature() -> None:
    body = ("Best regards,\nJane Roe\nGlobal Sales Director\nAcme GmbH\nBerlin +49 30 1234 5670\n"
            "Munich +49 89 1234 5670\nHamburg +49 40 1234 5670\nVienna +43 1 234 5670\nZurich +41 44 234 5670\n"
            "Paris +33 1 23 45 67 00")
    sig = signature_of(body, zones_for(body, L0_1="closing", L2_9="signature"),
                       sender=("Jane Roe", "jane.roe@acme.example"))
    assert sig is not None and len(sig["fields"]["phones"]) == 6
