"""Block detection rules added for the errors the Quagga measurement showed (examples written by the
project): a Lotus Notes header's sender line, contact lines the zoning put in a footer, code and
footnotes, list-archive footers, text announced by a colon, a reply above ">" quotes with no header,
and a sentence broken over lines."""

from __future__ import annotations

from nlp.signature.block import author_region
from nlp.signature.lines import analyse, is_code
from tests.nlp.signature.block_zones import zones_for
from tests.nlp.signature.helpers import signature_of


def test_a_notes_headers_sender_line_is_not_the_authors_text() -> None:
    # Lotus Notes: "Name@ORG" alone on a line, then the date and time; the zoning marked only the date.
    body = ("Sure, I will add it to the report.\n\nThanks.\n\nPaula Ortiz\nSenior Counsel\nRoom 4410\n"
            "(312) 555-0147\n\n\n\tDan Whitlock@NORTH\n\t03/14/2002 10:12 AM\n\t\t To: Paula Ortiz/NORTH@NORTH\n"
            "\t\t Subject: broker agreement\n\nCan you add the agreement?")
    labels = zones_for(body, L5="signature", L11_13="quote_header", L15="quoted")
    assert author_region(labels, body.split("\n")) == (0, 10)
    sig = signature_of(body, labels, sender=("Paula Ortiz", "paula.ortiz@northwind.example"))
    assert sig["lines"] == [4, 5, 6, 7]
    assert sig["fields"]["phones"][0]["number"] == "+13125550147"


def test_a_date_line_alone_does_not_take_a_sentence_with_it() -> None:
    body = "Call me when you land.\n03/14/2002 10:12 AM\nMore text"
    labels = zones_for(body, L1="quote_header")
    # the line above the date is a sentence, not a Notes sender line: it stays the author's
    assert author_region(labels, body.split("\n")) == (0, 1)


def test_contact_lines_the_zoning_put_in_a_footer_stay_in_the_signature() -> None:
    body = ("Please send the figures by Friday.\n\nThanks,\n\nMarta\n\nMarta Lindqvist\nNorthwind Pipeline Company\n"
            "e-mail: marta.lindqvist@northwind.example\n(402) 555-0188\n(402) 555-0199 Fax")
    labels = zones_for(body, L2_4="closing", L6_7="signature", L8="list_footer", L9="disclaimer", L10="signature")
    sig = signature_of(body, labels, sender=("Marta Lindqvist", "marta.lindqvist@northwind.example"))
    assert sig["lines"] == [6, 7, 8, 9, 10]
    assert sorted(p["number"] for p in sig["fields"]["phones"]) == ["+14025550188", "+14025550199"]


def test_a_real_disclaimer_in_a_footer_zone_is_still_left_out() -> None:
    body = ("See you then.\n\nMarta Lindqvist\nNorthwind Pipeline Company\n(402) 555-0188\n"
            "This e-mail is confidential. If you received it in error call (402) 555-0100 and delete it.")
    labels = zones_for(body, L2_4="signature", L5="disclaimer")
    sig = signature_of(body, labels, sender=("Marta Lindqvist", "marta.lindqvist@northwind.example"))
    assert sig["lines"] == [2, 3, 4]


def test_code_and_queries_are_not_signature_lines() -> None:
    assert is_code("+title:report +(status:open (*:* -owner:[* TO *]))")
    assert is_code("if (x[i] == 0) { y = 1; }")
    assert not is_code("*** Jane Doe ***")
    assert not is_code("Tel: +1 (206) 555-0100 (office)")
    # "type:research" reads as a company word: without the code rule these lines made a "signature"
    body = ("What is the difference between\n\n+company:acme +(type:research (*:* -region:[* TO *]))\n\nand\n\n"
            "+company:acme +(type:research -region:[* TO *])")
    assert signature_of(body, zones_for(body), sender=("Ann Lee", "ann@example.org")) is None


def test_numbered_references_under_the_text_are_not_a_signature() -> None:
    body = ("The facet query is slow on the big core [1], see the issue [2].\nThanks\nOla\n"
            "[1] http://search.example.org/select?q=*\n[2] www.example.org/issues/1234")
    assert analyse(3, body.split("\n")[3], ["US"]).prose
    sig = signature_of(body, zones_for(body), sender=("Ola Berg", "ola@example.org"))
    assert sig is None or not sig["lines"]


def test_a_list_archive_footer_is_not_a_signature() -> None:
    body = "Same problem here after the upgrade.\n\n--\nSent from: http://archive.example.org/users-f1234.html"
    assert analyse(3, body.split("\n")[3], ["US"]).mobile_footer
    sig = signature_of(body, zones_for(body, L2_3="signature"), sender=("Ann Lee", "ann@example.org"))
    assert sig is None or not sig["lines"]


def test_a_link_announced_by_a_colon_is_the_messages_content() -> None:
    body = ("This page explains it:\nhttps://docs.example.org/guide/graph-queries\n\nJoe Brandt\n"
            "http://joebrandt.example.net/\n\nOn Fri, May 5, 2017 at 5:39 AM, Li Wei <li@example.org> wrote:\n> hi")
    labels = zones_for(body, L6="quote_header", L7="quoted")
    sig = signature_of(body, labels, sender=("Joe Brandt", "joe@example.net"))
    assert sig["lines"] == [3, 4]


def test_a_signature_above_headerless_quotes_is_found() -> None:
    # a top-posted reply over ">" quoting that no "wrote:" line introduces
    body = ("Set the heap to twice the working set and leave the ratios alone.\n\nwalt\nWalter Ng\n"
            "walter@ng.example.org\nhttp://blog.ng.example.org/  (my blog)\n\n"
            "> How much heap does the index need?\n> It is 40 GB on disk.\n>\n> Tom\n> tom@example.com")
    labels = zones_for(body, L7_11="quoted")
    sig = signature_of(body, labels, sender=None)
    assert sig["lines"][-3:] == [3, 4, 5]  # the nickname over the name may or may not be taken
    assert sig["fields"]["emails"] == ["walter@ng.example.org"]


def test_interleaved_replies_keep_the_signature_at_the_end() -> None:
    body = ("> Can you send the deck?\nYes, attached.\n> And the budget?\nNext week.\n\nJane Smith\nAcme Widgets Ltd.\n"
            "M: +44 7700 900123")
    labels = zones_for(body, L0="quoted", L2="quoted")
    sig = signature_of(body, labels, sender=("Jane Smith", "jane.smith@acme.co.uk"))
    assert sig["lines"] == [5, 6, 7]


def test_the_end_of_a_sentence_broken_over_lines_is_not_a_signature() -> None:
    # without the rule: a "signature" whose company is 'Grid Daily Report" subscription services form at'
    body = ('To change your subscription, point your browser to "The\nGrid Daily Report" subscription services '
            "form at\nhttp://news.example.org/subscribe.htm\n")
    assert signature_of(body, zones_for(body), sender=("News Desk", "desk@news.example.org")) is None


def test_an_internal_extension_is_contact_data_for_the_block() -> None:
    assert analyse(0, "x8321", ["US"]).extension
    assert analyse(0, "Ext. 35614", ["US"]).extension
    assert analyse(0, "4-7060", ["US"]).extension
    assert not analyse(0, "Call x8321 tomorrow about the 10-4 thing.", ["US"]).extension
    body = "All badges will be reissued on Monday; bring the old one to the desk.\n\nFacilities Help Desk\n4-7060\n"
    sig = signature_of(body, zones_for(body), sender=("Facilities", "facilities@northwind.example"))
    assert sig["lines"] == [2, 3]
    assert sig["fields"]["phones"] == []  # no full number: nothing for a contact record


def test_an_extension_alone_is_not_a_signature() -> None:
    body = "Let me know if you have questions.\n\nDennis\nx1715\n"
    sig = signature_of(body, zones_for(body), sender=("Dennis Okafor", "dennis@northwind.example"))
    assert sig is None or sig["lines"] != [3]


def test_an_address_ending_in_a_state_code_is_not_an_unfinished_sentence() -> None:
    body = ("Numbers attached.\n\nLena Fox\nCascade Timber Inc.\n200 Pine Street, Suite A\nPortland, OR\n"
            "(503) 555-0142\n")
    sig = signature_of(body, zones_for(body), sender=("Lena Fox", "lena@cascade.example"))
    assert sig["lines"] == [2, 3, 4, 5, 6]

