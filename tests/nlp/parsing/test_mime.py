"""Which part is the body, and what is listed as an attachment, in the MIME shapes real clients send."""

from __future__ import annotations

import hashlib

from nlp.parsing.parse import parse_raw
from tests.nlp.parsing.mails import (
    PNG,
    MIMEApplication,
    MIMEBase,
    MIMEImage,
    headers,
    multipart,
    text_part,
    to_bytes,
)


def _attachment(data: bytes, filename: str, maintype: str = "application", subtype: str = "pdf") -> MIMEBase:
    part = MIMEApplication(data, subtype) if maintype == "application" else MIMEBase(maintype, subtype)
    if maintype != "application":
        part.set_payload(data)
    part.add_header("Content-Disposition", "attachment", filename=filename)
    return part


def test_alternative_prefers_plain_and_keeps_the_html():
    msg = headers(multipart("alternative", text_part("Plain words."), text_part("<p>HTML words.</p>", subtype="html")))
    message = parse_raw(to_bytes(msg))
    assert (message.body, message.body_source) == ("Plain words.", "plain")
    assert message.html == "<p>HTML words.</p>"
    assert message.attachments == []


def test_mixed_with_alternative_attachments_and_a_list_footer():
    pdf = b"%PDF-1.4 fake pdf bytes" * 10
    msg = headers(multipart(
        "mixed",
        multipart("alternative", text_part("See the offer.\n"), text_part("<p>See the offer.</p>", subtype="html")),
        _attachment(pdf, "offer.pdf"),
        text_part("_______________\nsales-list mailing list\n"),  # Mailman adds its footer as a part
    ))
    message = parse_raw(to_bytes(msg))
    assert message.body == "See the offer.\n_______________\nsales-list mailing list"
    [attachment] = message.attachments
    assert (attachment.name, attachment.content_type, attachment.size) == ("offer.pdf", "application/pdf", len(pdf))
    assert attachment.sha256 == hashlib.sha256(pdf).hexdigest()
    assert (attachment.inline, attachment.content_id) == (False, None)


def test_related_html_with_inline_image():
    image = MIMEImage(PNG, "png")
    image.add_header("Content-ID", "<logo@example.com>")
    image.add_header("Content-Disposition", "inline", filename="logo.png")
    related = multipart("related", text_part('<p>Hi</p><img src="cid:logo@example.com">', subtype="html"), image)
    msg = headers(multipart("alternative", text_part("Hi"), related))
    message = parse_raw(to_bytes(msg))
    assert message.body == "Hi"
    [attachment] = message.attachments
    assert attachment.to_json() == {"name": "logo.png", "content_type": "image/png", "size": len(PNG),
                                    "sha256": hashlib.sha256(PNG).hexdigest(), "inline": True,
                                    "content_id": "logo@example.com"}


def test_image_with_only_a_content_id_is_inline():
    image = MIMEImage(PNG, "png")
    image.add_header("Content-ID", "<img1>")
    message = parse_raw(to_bytes(headers(multipart("related", text_part("<p>x</p>", subtype="html"), image))))
    assert message.attachments[0].inline and message.attachments[0].content_id == "img1"


def test_forwarded_message_is_an_attachment_not_the_body():
    inner = headers(text_part("The forwarded words."), subject="Original subject")
    forwarded = MIMEBase("message", "rfc822")
    forwarded.set_payload([inner])
    message = parse_raw(to_bytes(headers(multipart("mixed", text_part("FYI, see below."), forwarded))))
    assert message.body == "FYI, see below."
    [attachment] = message.attachments
    assert (attachment.name, attachment.content_type) == ("Original subject.eml", "message/rfc822")


def test_text_attachments_are_not_the_body():
    named = text_part("log line 1\nlog line 2")
    named.add_header("Content-Disposition", "attachment", filename="server.log")
    inline_named = text_part("notes")
    inline_named.set_param("name", "notes.txt")
    message = parse_raw(to_bytes(headers(multipart("mixed", text_part("Logs attached."), named, inline_named))))
    assert message.body == "Logs attached."
    assert [a.name for a in message.attachments] == ["server.log", "notes.txt"]


def test_a_lone_named_text_part_is_still_the_body():
    part = text_part("Only text here.")
    part.set_param("name", "message.txt")
    assert parse_raw(to_bytes(headers(part))).body == "Only text here."


def test_apple_mail_text_image_text_keeps_both_texts():
    image = MIMEImage(PNG, "png")
    image.add_header("Content-Disposition", "inline", filename="photo.png")
    msg = headers(multipart("mixed", text_part("Before the photo."), image, text_part("After the photo.")))
    message = parse_raw(to_bytes(msg))
    assert message.body == "Before the photo.\nAfter the photo."
    assert [a.name for a in message.attachments] == ["photo.png"]


def test_signed_message_body_and_signature_attachment():
    signature = MIMEApplication(b"-----BEGIN PGP SIGNATURE-----\n...", "pgp-signature")
    msg = headers(multipart("signed", text_part("Signed words."), signature, protocol="application/pgp-signature"))
    message = parse_raw(to_bytes(msg))
    assert message.body == "Signed words."
    assert [a.content_type for a in message.attachments] == ["application/pgp-signature"]


def test_encoded_attachment_names():
    rfc2231 = MIMEApplication(b"x", "octet-stream")
    rfc2231.add_header("Content-Disposition", "attachment", filename=("utf-8", "", "見積書 2024.pdf"))
    rfc2047 = MIMEApplication(b"y", "octet-stream")
    rfc2047["Content-Disposition"] = 'attachment; filename="=?UTF-8?B?UmVjaG51bmcgw7wucGRm?="'
    message = parse_raw(to_bytes(headers(multipart("mixed", text_part("Files."), rfc2231, rfc2047))))
    assert [a.name for a in message.attachments] == ["見積書 2024.pdf", "Rechnung ü.pdf"]


def test_rfc2231_continuations():
    raw = (b"From: a@example.com\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=XX\r\n\r\n"
           b"--XX\r\nContent-Type: text/plain\r\n\r\nbody\r\n--XX\r\nContent-Type: application/pdf\r\n"
           b"Content-Disposition: attachment;\r\n filename*0*=utf-8''%E8%AB%8B%E6%B1%82;\r\n filename*1=\".pdf\"\r\n"
           b"\r\nJVBERi0=\r\n--XX--\r\n")
    assert parse_raw(raw).attachments[0].name == "請求.pdf"


def test_missing_final_boundary_keeps_the_parts_and_is_named():
    raw = (b"From: a@example.com\r\nMIME-Version: 1.0\r\nContent-Type: multipart/alternative; boundary=\"b1\"\r\n"
           b"\r\npreamble\r\n--b1\r\nContent-Type: text/plain; charset=utf-8\r\n\r\ncut short")
    message = parse_raw(raw)
    assert message.body == "cut short"
    assert message.problems == ["message: multipart without its closing boundary"]


def test_boundary_prefix_lines_inside_parts_are_not_delimiters():
    raw = (b"From: a@example.com\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n"
           b"--b\r\nContent-Type: text/plain\r\n\r\nline\r\n--bogus is text\r\n--b  \r\n"
           b"Content-Type: application/octet-stream\r\n\r\nxyz\r\n--b--\r\n")
    message = parse_raw(raw)
    assert message.body == "line\n--bogus is text"
    assert message.attachments[0].size == 3


def test_no_content_type_is_plain_text_and_crlf_is_normalised():
    message = parse_raw(b"From: a@example.com\r\nSubject: hi\r\n\r\nline one\r\nline two\r\n")
    assert message.body == "line one\nline two" and message.problems == []  # trailing newlines dropped


def test_multipart_without_boundary_is_read_as_text_and_named():
    raw = b"From: a@example.com\nContent-Type: multipart/mixed\n\njust text\n"
    message = parse_raw(raw)
    assert message.body == "just text"
    assert message.problems == ["message: multipart without a boundary parameter; read as text"]


def test_report_body_is_the_human_part_and_the_status_is_kept():
    raw = (b"From: MAILER-DAEMON@example.org\r\nTo: ann@example.com\r\nSubject: Undelivered Mail Returned to Sender\r\n"
           b"MIME-Version: 1.0\r\nContent-Type: multipart/report; report-type=delivery-status; boundary=R\r\n\r\n"
           b"--R\r\nContent-Type: text/plain\r\n\r\nYour message could not be delivered.\r\n"
           b"--R\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.example.org\r\n\r\n"
           b"Final-Recipient: rfc822; x@example.org\r\nAction: failed\r\nStatus: 5.1.1\r\n"
           b"--R\r\nContent-Type: text/rfc822-headers\r\n\r\nSubject: hello\r\n--R--\r\n")
    message = parse_raw(raw)
    assert message.body == "Your message could not be delivered."
    assert "Status: 5.1.1" in (message.delivery_status or "")
    assert [a.content_type for a in message.attachments] == ["message/delivery-status", "text/rfc822-headers"]
    assert message.auto.kind == "bounce"


def test_a_named_inline_text_part_is_the_body_when_there_is_no_other():
    body = text_part("The only text.")
    body.set_param("name", "body.txt")
    image = MIMEImage(PNG, "png")
    message = parse_raw(to_bytes(headers(multipart("mixed", body, image))))
    assert message.body == "The only text."
    assert [a.content_type for a in message.attachments] == ["image/png"]
