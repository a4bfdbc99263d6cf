"""HTML to text: what a reader sees, and quotes drawn the way the zoning stage reads them."""

from __future__ import annotations

from nlp.parsing.html_text import HR_LINE, html_to_text
from nlp.parsing.parse import parse_raw
from tests.nlp.parsing.mails import headers, multipart, text_part, to_bytes


def test_paragraphs_line_breaks_headings_and_whitespace():
    html = """<html><head><title>ignored</title><style>p {color: red}</style></head><body>
    <h1>Quarterly   update</h1><p>First    paragraph
    spans lines.</p><p>Second<br>line two</p><div>a div</div><div>next div</div>
    <script>var hidden = 1;</script><!-- a comment --></body></html>"""
    assert html_to_text(html) == ("Quarterly update\n\nFirst paragraph spans lines.\n\nSecond\nline two\n\n"
                                  "a div\nnext div")


def test_lists_numbered_and_nested():
    html = "<ul><li>apples</li><li>pears<ol><li>green</li><li>red</li></ol></li></ul><ol start=3><li>three</li></ol>"
    assert html_to_text(html) == "- apples\n- pears\n  1. green\n  2. red\n\n3. three"


def test_links_show_their_url_only_when_the_text_differs():
    html = ('<p><a href="https://example.com/pricing?a=1&amp;b=2">our prices</a>, '
            '<a href="https://example.com/">https://example.com/</a>, <a href="https://example.com">example.com</a>, '
            '<a href="mailto:sales@example.com">sales@example.com</a>, <a href="mailto:sales@example.com">Sales</a>, '
            '<a href="https://t.example/x"><img src="logo.png"></a></p>')
    assert html_to_text(html) == ("our prices (https://example.com/pricing?a=1&b=2), https://example.com/, example.com, "
                                  "sales@example.com, Sales (sales@example.com),")


def test_tables_rows_and_cells():
    html = ("<table><tr><th>Item</th><th>Qty</th><th>Price</th></tr>"
            "<tr><td>Widget</td><td>2</td><td>$10</td></tr><tr><td>Gadget</td><td></td><td>$5</td></tr></table>")
    assert html_to_text(html) == "Item | Qty | Price\nWidget | 2 | $10\nGadget | $5"


def test_entities_and_invisible_padding():
    assert html_to_text("<p>Tom &amp; Jerry &lt;3 &#8364;5&nbsp;off &eacute;t&eacute;\u200c\u200b</p>") == \
        "Tom & Jerry <3 €5 off été"


def test_empty_outlook_and_gmail_paragraphs_keep_blank_lines():
    gmail = "<div>Hi Bob,</div><div><br></div><div>Thanks.</div>"
    outlook = ('<p class=MsoNormal>Hi Bob,<o:p></o:p></p><p class=MsoNormal><o:p>&nbsp;</o:p></p>'
               '<p class=MsoNormal>Thanks.<o:p></o:p></p>')
    assert html_to_text(gmail) == html_to_text(outlook) == "Hi Bob,\n\nThanks."


def test_gmail_reply_quote_is_prefixed_and_its_header_is_not():
    html = ('<div dir="ltr">Tuesday works.<div><br></div><div>Ann</div></div><br>'
            '<div class="gmail_quote"><div dir="ltr" class="gmail_attr">On Mon, Jan 15, 2024 at 10:00 AM Bob '
            '&lt;<a href="mailto:bob@example.org">bob@example.org</a>&gt; wrote:<br></div>'
            '<blockquote class="gmail_quote" style="margin:0px 0px 0px 0.8ex;border-left:1px solid">'
            '<div dir="ltr">Can we meet?<div><blockquote class="gmail_quote">Older text</blockquote></div></div>'
            '</blockquote></div>')
    assert html_to_text(html) == ("Tuesday works.\n\nAnn\n\nOn Mon, Jan 15, 2024 at 10:00 AM Bob <bob@example.org> "
                                  "wrote:\n> Can we meet?\n> > Older text")


def test_apple_and_thunderbird_cite_blockquotes():
    html = ('<div>Sure.</div><div class="moz-cite-prefix">On 1/15/24 Bob wrote:<br></div>'
            '<blockquote type="cite" cite="mid:m1@example.org">Line one<br>Line two</blockquote>')
    assert html_to_text(html) == "Sure.\nOn 1/15/24 Bob wrote:\n> Line one\n> Line two"


def test_indent_only_blockquote_is_not_a_quote():
    html = '<blockquote style="margin:0 0 0 40px;border:none;padding:0px"><div>Indented text</div></blockquote>'
    assert html_to_text(html) == "Indented text"


def test_outlook_web_reply_quotes_everything_after_the_header_box():
    html = ('<html><body><div>Done, see attached.</div><div id="appendonsend"></div>'
            '<hr style="display:inline-block;width:98%" tabindex="-1">'
            '<div id="divRplyFwdMsg" dir="ltr"><font face="Calibri"><b>From:</b> Bob &lt;bob@example.org&gt;<br>'
            '<b>Sent:</b> Monday, January 15, 2024 10:00 AM<br><b>To:</b> Ann<br><b>Subject:</b> Report</font>'
            '<div>&nbsp;</div></div><div>Please send the report.</div><div><br></div><div>Bob</div></body></html>')
    assert html_to_text(html) == (f"Done, see attached.\n{HR_LINE}\nFrom: Bob <bob@example.org>\n"
                                  "Sent: Monday, January 15, 2024 10:00 AM\nTo: Ann\nSubject: Report\n\n"
                                  "> Please send the report.\n>\n> Bob")


def test_outlook_desktop_reply_header_box():
    html = ("<div class=WordSection1><p class=MsoNormal>OK<o:p></o:p></p><div><div style='border:none;"
            "border-top:solid #E1E1E1 1.0pt;padding:3.0pt 0in 0in 0in'><p class=MsoNormal><b>From:</b> Bob<br>"
            "<b>Sent:</b> Monday<o:p></o:p></p></div></div><p class=MsoNormal>Question?<o:p></o:p></p></div>")
    assert html_to_text(html) == "OK\nFrom: Bob\nSent: Monday\n> Question?"


def test_pre_keeps_its_lines():
    assert html_to_text("<p>Log:</p><pre>  a = 1\n    b = 2\n</pre><p>end</p>") == "Log:\n\n  a = 1\n    b = 2\n\nend"


def test_broken_html_still_reads():
    html = "<p>unclosed <b>bold <i>both<p>next <a href='x'>link<div>in div</span></td></table> a < b and c>d"
    # As in a browser: the div and the link are never closed, so the rest is inside both.
    assert html_to_text(html) == "unclosed bold both\n\nnext link\nin div a < b and c>d (x)"


def test_html_only_mail_is_the_body():
    html = ("<html><body><p>Hello,</p><ul><li>one</li><li>two</li></ul>"
            "<table><tr><td>a</td><td>b</td></tr></table>"
            '<blockquote type="cite">quoted</blockquote><p><a href="https://x.example/d">details</a></p></body></html>')
    message = parse_raw(to_bytes(headers(text_part(html, subtype="html"))))
    assert message.body_source == "html"
    assert message.body == "Hello,\n\n- one\n- two\n\na | b\n\n> quoted\n\ndetails (https://x.example/d)"
    assert message.html == html


def test_html_charset_from_meta_when_the_part_has_none():
    html = '<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1251"></head>' \
           "<body>Привет</body></html>"
    raw = (b"From: a@example.com\r\nSubject: x\r\nMIME-Version: 1.0\r\nContent-Type: text/html\r\n"
           b"Content-Transfer-Encoding: 8bit\r\n\r\n" + html.encode("cp1251"))
    assert parse_raw(raw).body == "Привет"


def test_blank_plain_alternative_falls_back_to_html():
    msg = headers(multipart("alternative", text_part("\n \n"), text_part("<p>Real content</p>", subtype="html")))
    message = parse_raw(to_bytes(msg))
    assert (message.body, message.body_source) == ("Real content", "html")
