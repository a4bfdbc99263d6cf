"""Which lines are the signature: disclaimers, mobile footers and quoted signatures are never taken;
a signature the zoning missed or mislabelled is still found; a block in the middle of the text is not."""

from __future__ import annotations

from tests.nlp.signature.block_zones import zones_for
from tests.nlp.signature.helpers import signature_of

SENDER = ("Jane Smith", "jane.smith@acme.co.uk")


def test_disclaimer_and_mobile_footer_zoned_as_signature_are_not_fields() -> None:
    body = ("Sure, Thursday works.\n\nJane Smith\nAcme Widgets Ltd.\nT: +44 20 7946 0958\n"
            "CONFIDENTIALITY NOTICE: this e-mail is confidential. If you are not the intended recipient call "
            "+44 20 7946 0000 or write to legal@acme.co.uk.\nSent from my iPhone")
    # a zoning that wrongly puts the notice and the footer into the signature
    sig = signature_of(body, zones_for(body, L2_6="signature"), sender=SENDER)
    f = sig["fields"]
    assert [p["number"] for p in f["phones"]] == ["+442079460958"]
    assert f["emails"] == []
    assert sig["lines"] == [2, 3, 4]
    assert "iPhone" not in sig["text"]


def test_only_a_mobile_footer_gives_no_signature() -> None:
    body = "ok see you there\n\nSent from my iPhone"
    assert signature_of(body, zones_for(body, L2="mobile_footer"), sender=("Tom", "tom@example.org")) is None


def test_japanese_mobile_footer_and_disclaimer_are_not_taken() -> None:
    body = "承知しました。\n\n山田 太郎\n株式会社サンプル\n\n本メールは機密情報を含みます。誤送信の場合は削除してください。\niPhoneから送信"
    sig = signature_of(body, zones_for(body, L2_3="signature", L5="disclaimer", L6="mobile_footer"), language="ja")
    assert sig["fields"]["name"] == "山田 太郎"
    assert sig["fields"]["company"] == "株式会社サンプル"
    assert sig["lines"] == [2, 3]


def test_a_quoted_signature_is_someone_elses() -> None:
    body = ("Thanks, will do.\n\nOn Mon, 3 Jun 2024 at 10:02, Bob Miller <bob@contoso.com> wrote:\n"
            "> Please confirm.\n>\n> Bob Miller\n> Contoso Ltd.\n> Tel: +1 206 867 5309")
    labels = zones_for(body, L2="quote_header", L3_7="quoted")
    assert signature_of(body, labels, sender=SENDER) is None


def test_a_forwarded_messages_signature_is_not_the_senders() -> None:
    body = ("FYI, see below.\n\n---------- Forwarded message ---------\nFrom: Bob Miller <bob@contoso.com>\n"
            "Date: Mon, 3 Jun 2024 10:02\n\nHello,\n\nBob Miller\nContoso Ltd.\nTel: +1 206 867 5309")
    labels = zones_for(body, L2_4="forwarded", L5_10="forwarded")
    assert signature_of(body, labels, sender=SENDER) is None


def test_signature_after_an_inline_quote_is_found() -> None:
    body = ("> Can you send the deck?\n\nAttached.\n\nJane Smith\nAcme Widgets Ltd.\nM: +44 7700 900123")
    labels = zones_for(body, L0="quoted")
    sig = signature_of(body, labels, sender=SENDER)
    assert sig["fields"]["phones"][0]["number"] == "+447700900123"
    assert sig["fields"]["name"] == "Jane Smith"


def test_a_signature_the_zoning_missed_is_found_at_the_end() -> None:
    body = ("Hi Tom,\n\nthe contract is attached.\n\nRobert Chen\nOperations Manager\nHarbor Logistics Corporation\n"
            "(713) 853-6577 Office\nrchen@harborlogistics.com\n")
    sig = signature_of(body, zones_for(body), sender=("Robert Chen", "rchen@harborlogistics.com"))
    assert sig["lines"] == [4, 5, 6, 7, 8]
    assert sig["fields"]["title"] == "Operations Manager"
    assert sig["confidence"] < 0.9  # found by the signature stage, not the zoning


def test_a_list_of_companies_in_the_message_is_not_a_signature() -> None:
    body = ("Our reporting chain:\n\nEnron Corp.\nEnron Pipeline Holding Company\nNorthern Natural Gas Co.\n\n"
            "We need titles and job descriptions for each of them, and HR should pull the org charts.\n"
            "Frazier will look at the SAP data next week and we can compare it with OASIS.\n"
            "Let me know when you are ready to discuss.\nThanks")
    labels = zones_for(body, L2_4="signature")  # the zoning mistook the list for a signature
    sig = signature_of(body, labels, sender=("Shelley Corman", "shelley.corman@enron.com"))
    assert sig is None or sig["lines"] == []


def test_the_name_under_the_sign_off_is_the_closings() -> None:
    body = "Thursday works for me.\n\nBest regards,\n\nJef"
    sig = signature_of(body, zones_for(body, L2_4="closing"), sender=("Jef Smith", "jef@smith-consulting.com"))
    assert sig["lines"] == []
    assert sig["text"] == "Jef"
    assert sig["fields"]["name"] == "Jef Smith"
    assert sig["evidence"]["name"]["line"] == "Jef"


def test_a_name_signed_at_the_end_of_the_last_line() -> None:
    body = "Can't remember what the question was!  I will call you if I remember.  --Sally\n"
    sig = signature_of(body, zones_for(body), sender=("Beck, Sally", "sally.beck@enron.com"))
    assert sig["fields"]["name"] == "Sally Beck"
    assert sig["fields"]["name_parts"] == {"given": "Sally", "family": "Beck"}


def test_no_signature_no_closing_name_gives_null() -> None:
    body = "Please send me the figures for March.\n"
    assert signature_of(body, zones_for(body), sender=SENDER) is None


def test_double_spaced_signature_under_a_rule() -> None:
    body = ("Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor.\n\n----------------\n\n"
            "Me John Doe\n\nAvocat associé\n\nCabinet Exemple du Québec\n\nt. 514-931-0702\n\nf. 514-875-7611\n\n"
            "http://example.com/")
    sig = signature_of(body, zones_for(body, L10_14="signature"), sender=("John Doe", "jdoe@cabinet-exemple.ca"))
    assert sig["lines"][0] == 2  # from the rule down
    f = sig["fields"]
    assert f["name"] == "John Doe"
    assert [(p["type"], p["number"]) for p in f["phones"]] == [("work", "+15149310702"), ("fax", "+15148757611")]


def test_zone_lengths_that_do_not_match_the_body_do_not_crash() -> None:
    body = "Hello\n\nJane Smith\nAcme Widgets Ltd.\nT: +44 20 7946 0958"
    from nlp.signature.component import make_signature
    from tests.nlp.signature.helpers import make_doc

    doc = make_doc(body, ["new_text"] * 5)
    doc["zones"] = ["new_text", "new_text"]  # a stage upstream got it wrong
    make_signature()([doc])
    assert doc.out["signature"]["fields"]["phones"][0]["number"] == "+442079460958"
