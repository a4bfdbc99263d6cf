"""Notification mails the project writes, as real senders format them, each form with several fillings.

- a web form in plain text (a WordPress-style "Contact form" mail, quoted-printable UTF-8);
- an order confirmation as an HTML-only table (a shop system's mail, base64);
- a JSON webhook mail (a form service posting the submission as JSON in the body);
- a Japanese inquiry form in ISO-2022-JP with 「お名前：」「会社名：」「電話番号：」.

``FILLINGS[form]`` holds the values of each mail: the first is the sample an admin highlights, the next
three are further mails of the same form, and the last repeats the first one's key with changed values
(the update). ``EXPECTED[form]`` is what the record holds after each mail.
"""

from __future__ import annotations

import base64
import json
import quopri
import zlib
from email.header import Header

__all__ = ["FORMS", "FILLINGS", "EXPECTED", "build", "web_form", "order_html", "webhook_json", "japanese_inquiry"]


def _date(n: int) -> str:
    return f"Mon, {10 + n} Nov 2026 09:{10 + n:02d}:00 +0000"


def web_form(v: dict, n: int = 0) -> bytes:
    lines = [
        "You have a new contact form submission:",
        "",
        f"Name: {v['name']}",
        f"Email: {v['email']}",
        f"Company: {v['company']}",
    ]
    if v.get("phone"):
        lines.append(f"Phone: {v['phone']}")
    lines += [f"Budget: {v['budget']}", "Message:", *v["message"].split("\n"), "", "--",
              "This e-mail was sent from a contact form on Acme Widgets (https://acme-widgets.example)"]
    body = quopri.encodestring("\n".join(lines).encode("utf-8")).decode("ascii").replace("\n", "\r\n")
    return ("From: Acme Widgets <wordpress@acme-widgets.example>\r\n"
            "To: sales@acme-widgets.example\r\n"
            f"Reply-To: {v['email']}\r\n"
            f"Subject: [Acme Widgets] New contact form submission: {v['topic']}\r\n"
            f"Date: {_date(n)}\r\n"
            f"Message-ID: <cf7-{n}-{zlib.crc32(v['email'].encode())}@acme-widgets.example>\r\n"
            "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n"
            "Content-Transfer-Encoding: quoted-printable\r\nX-Mailer: WPMailSMTP/Mailer/smtp 3.8.0\r\n\r\n"
            + body + "\r\n").encode("ascii")


def order_html(v: dict, n: int = 0) -> bytes:
    rows = "".join(f"<tr><td style=\"padding:4px\">{item}</td><td align=\"right\">{qty}</td></tr>"
                   for item, qty in v["items"])
    html = f"""<!DOCTYPE html><html><head><meta charset="utf-8"><style>td{{font-family:Arial}}</style></head>
<body><table width="100%" cellpadding="0"><tr><td align="center">
<table width="600" style="border:1px solid #ddd">
<tr><td colspan="2"><h1>Thank you for your order!</h1><p>We have received order <b>{v['order']}</b>.</p></td></tr>
<tr><td>
<table class="details">
  <tr><th align="left">Order number</th><td>{v['order']}</td></tr>
  <tr><th align="left">Order date</th><td>{v['date']}</td></tr>
  <tr><th align="left">Customer</th><td>{v['customer']}</td></tr>
  <tr><th align="left">E-mail</th><td><a href="mailto:{v['email']}">{v['email']}</a></td></tr>
  <tr><th align="left">Order total</th><td><strong>{v['total']}</strong></td></tr>
</table>
<table class="items"><tr><th>Item</th><th>Qty</th></tr>{rows}</table>
</td></tr></table>
<p style="color:#999">Shopfront · 1 Market St · San Francisco</p>
</td></tr></table></body></html>"""
    body = base64.encodebytes(html.encode("utf-8")).decode("ascii").replace("\n", "\r\n")
    return ("From: \"Shopfront Orders\" <orders@shopfront.example>\r\n"
            "To: crm@acme-widgets.example\r\n"
            f"Subject: Order {v['order']} confirmed\r\n"
            f"Date: {_date(n)}\r\n"
            f"Message-ID: <order-{v['order']}-{n}@shopfront.example>\r\n"
            "MIME-Version: 1.0\r\nContent-Type: text/html; charset=\"utf-8\"\r\n"
            "Content-Transfer-Encoding: base64\r\n\r\n" + body).encode("ascii")


def webhook_json(v: dict, n: int = 0) -> bytes:
    payload = {
        "event": "form.submitted",
        "form": {"id": "f_8Jk2", "name": "Book a demo"},
        "submitted_at": f"2026-11-{10 + n:02d}T09:{10 + n:02d}:00Z",
        "data": {
            "contact": {"first_name": v["first"], "last_name": v["last"], "email": v["email"],
                        "phone": v["phone"], "job_title": v["title"]},
            "location": {"city": v["city"], "country": v["country"]},
            "consent": True,
        },
    }
    body = json.dumps(payload, indent=2, ensure_ascii=False)
    return ("From: FormRelay Webhooks <hooks@formrelay.example>\r\n"
            "To: crm@acme-widgets.example\r\n"
            "Subject: [FormRelay] Book a demo: new submission\r\n"
            f"Date: {_date(n)}\r\n"
            f"Message-ID: <wh-{n}-{zlib.crc32(v['email'].encode())}@formrelay.example>\r\n"
            "X-FormRelay-Event: form.submitted\r\n"
            "MIME-Version: 1.0\r\nContent-Type: application/json; charset=utf-8\r\n"
            "Content-Transfer-Encoding: 8bit\r\n\r\n").encode("ascii") + body.encode("utf-8") + b"\r\n"


def japanese_inquiry(v: dict, n: int = 0) -> bytes:
    lines = [
        "ウェブサイトのお問い合わせフォームより、以下の内容で送信がありました。",
        "",
        "━━━━━━━━━━━━━━━━━━━━",
        f"お名前：{v['name']}",
        f"会社名：{v['company']}",
        f"部署名：{v['department']}",
        f"電話番号：{v['phone']}",
        f"メールアドレス：{v['email']}",
        "お問い合わせ内容：",
        *v["message"].split("\n"),
        "━━━━━━━━━━━━━━━━━━━━",
        "",
        "※このメールは送信専用アドレスから自動送信されています。",
    ]
    body = "\r\n".join(lines).encode("iso-2022-jp")
    subject = Header("【お問い合わせ】" + v["topic"], "iso-2022-jp").encode()
    return (f"From: =?ISO-2022-JP?B?{base64.b64encode('サクラ工業 問い合わせフォーム'.encode('iso-2022-jp')).decode()}?="
            " <form@sakura-kogyo.example.jp>\r\n"
            "To: info@acme-widgets.example\r\n"
            f"Subject: {subject}\r\n"
            f"Date: {_date(n)}\r\n"
            f"Message-ID: <inq-{n}-{zlib.crc32(v['email'].encode())}@sakura-kogyo.example.jp>\r\n"
            "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=ISO-2022-JP\r\n"
            "Content-Transfer-Encoding: 7bit\r\n\r\n").encode("ascii") + body + b"\r\n"


FORMS = {"web_form": web_form, "order_html": order_html, "webhook_json": webhook_json,
         "japanese": japanese_inquiry}

FILLINGS: dict[str, list[dict]] = {
    "web_form": [
        {"name": "Sarah Chen", "email": "sarah.chen@northwind.example", "company": "Northwind Logistics",
         "phone": "(415) 555-0134", "budget": "$12,500", "topic": "Request a quote",
         "message": "We are looking for 500 units of the W-200 widget.\nCould you send a quote with delivery "
                    "to Oakland?"},
        {"name": "Dr. Jonathan Q. Appleseed-Harrington", "email": "j.appleseed@contoso.example",
         "company": "Contoso Pharmaceuticals International", "phone": "+1 212 555 0199", "budget": "$250,000.00",
         "topic": "Partnership", "message": "Hello,\n\nwe would like to talk about a partnership.\nBest, Jon"},
        {"name": "Li Wei", "email": "LI.WEI@FABRIKAM.EXAMPLE", "company": "Fabrikam", "phone": "",
         "budget": "$900", "topic": "Question", "message": "Do you ship to Canada?"},
        {"name": "María José García", "email": "mjgarcia@tailspin.example", "company": "Tailspin Toys S.A.",
         "phone": "415.555.0172", "budget": "$4,000", "topic": "Request a quote",
         "message": "Need 40 units.\nDelivery: Madrid.\nPayment: 30 days."},
        {"name": "Sarah Chen-Okafor", "email": "sarah.chen@northwind.example",
         "company": "Northwind Logistics Inc.", "phone": "(415) 555-0188", "budget": "$15,000",
         "topic": "Request a quote", "message": "Updated request: 600 units."},
    ],
    "order_html": [
        {"order": "SF-10482", "date": "14 November 2026", "customer": "Bob Martinez", "email": "bob@example.org",
         "total": "$1,249.90", "items": [("W-200 widget", 10), ("Mounting kit", 2)]},
        {"order": "SF-10517", "date": "2 December 2026", "customer": "Anne-Marie Dubois",
         "email": "am.dubois@example.fr", "total": "$89.00", "items": [("Cable", 1)]},
        {"order": "SF-10999", "date": "31 December 2026", "customer": "Kenji Watanabe",
         "email": "kenji@example.jp", "total": "$12,000.00", "items": [("W-900 industrial", 3), ("Support", 1),
                                                                    ("Shipping", 1)]},
        {"order": "SF-11001", "date": "1 January 2027", "customer": "Zoë Brown", "email": "zoe@example.co.uk",
         "total": "$5.50", "items": [("Sticker", 1)]},
        {"order": "SF-10482", "date": "14 November 2026", "customer": "Bob Martinez", "email": "bob@example.org",
         "total": "$1,349.90", "items": [("W-200 widget", 11), ("Mounting kit", 2)]},
    ],
    "webhook_json": [
        {"first": "Priya", "last": "Natarajan", "email": "priya@globex.example", "phone": "+44 20 7946 0958",
         "title": "Head of Operations", "city": "London", "country": "United Kingdom"},
        {"first": "Tom", "last": "O'Neill", "email": "tom.oneill@initech.example", "phone": "+1 512 555 0101",
         "title": "CTO", "city": "Austin", "country": "United States"},
        {"first": "Ana", "last": "Souza", "email": "ana.souza@umbrella.example", "phone": "+55 11 5555 0123",
         "title": "Procurement Manager, LATAM", "city": "São Paulo", "country": "Brazil"},
        {"first": "Lukas", "last": "Becker", "email": "lukas@hooli.example", "phone": "+49 30 901820",
         "title": "Einkauf", "city": "Berlin", "country": "Germany"},
        {"first": "Priya", "last": "Natarajan", "email": "priya@globex.example", "phone": "+44 20 7946 0000",
         "title": "COO", "city": "London", "country": "United Kingdom"},
    ],
    "japanese": [
        {"name": "山田 太郎", "company": "株式会社サクラ商事", "department": "営業部", "phone": "03-1234-5678",
         "email": "t.yamada@sakura-shoji.example.jp", "topic": "製品について",
         "message": "W-200の見積もりをお願いします。\n納期もあわせて教えてください。"},
        {"name": "佐藤 花子", "company": "有限会社ミドリ", "department": "総務課", "phone": "06-9876-5432",
         "email": "hanako.sato@midori.example.jp", "topic": "資料請求", "message": "カタログを送ってください。"},
        {"name": "鈴木　一郎", "company": "スズキ精機株式会社", "department": "技術開発本部 第二グループ",
         "phone": "０９０−１１１１−２２２２", "email": "ichiro@suzuki-seiki.example.jp", "topic": "その他",
         "message": "デモを希望します。\n来週以降でお願いします。\nよろしくお願いします。"},
        {"name": "高橋 健", "company": "タカハシ物流", "department": "購買部", "phone": "045-333-4444",
         "email": "ken.takahashi@takahashi-butsuryu.example.jp", "topic": "製品について",
         "message": "価格表をください。"},
        {"name": "山田 太郎", "company": "株式会社サクラ商事", "department": "営業企画部", "phone": "03-1234-9999",
         "email": "t.yamada@sakura-shoji.example.jp", "topic": "製品について", "message": "追加のご相談です。"},
    ],
}


def build(form: str, index: int) -> bytes:
    return FORMS[form](FILLINGS[form][index], index)


EXPECTED: dict[str, list[dict]] = {
    "web_form": [
        {"first_name": "Sarah", "last_name": "Chen", "email": "sarah.chen@northwind.example",
         "company": "Northwind Logistics", "phone": "+14155550134"},
        {"first_name": "Jonathan Q.", "last_name": "Appleseed-Harrington", "email": "j.appleseed@contoso.example",
         "company": "Contoso Pharmaceuticals International", "phone": "+12125550199"},
        {"first_name": "Li", "last_name": "Wei", "email": "li.wei@fabrikam.example", "company": "Fabrikam",
         "phone": None},
        {"first_name": "María José", "last_name": "García", "email": "mjgarcia@tailspin.example",
         "company": "Tailspin Toys S.A.", "phone": "+14155550172"},
        {"first_name": "Sarah", "last_name": "Chen-Okafor", "email": "sarah.chen@northwind.example",
         "company": "Northwind Logistics Inc.", "phone": "+14155550188"},
    ],
    "order_html": [
        {"order_number": "SF-10482", "order_date": "2026-11-14", "customer": "Bob Martinez",
         "email": "bob@example.org", "total": "1249.90"},
        {"order_number": "SF-10517", "order_date": "2026-12-02", "customer": "Anne-Marie Dubois",
         "email": "am.dubois@example.fr", "total": "89.00"},
        {"order_number": "SF-10999", "order_date": "2026-12-31", "customer": "Kenji Watanabe",
         "email": "kenji@example.jp", "total": "12000.00"},
        {"order_number": "SF-11001", "order_date": "2027-01-01", "customer": "Zoë Brown",
         "email": "zoe@example.co.uk", "total": "5.50"},
        {"order_number": "SF-10482", "order_date": "2026-11-14", "customer": "Bob Martinez",
         "email": "bob@example.org", "total": "1349.90"},
    ],
    "webhook_json": [
        {"first_name": "Priya", "last_name": "Natarajan", "email": "priya@globex.example",
         "phone": "+442079460958", "title": "Head of Operations", "city": "London", "country": "United Kingdom"},
        {"first_name": "Tom", "last_name": "O'Neill", "email": "tom.oneill@initech.example",
         "phone": "+15125550101", "title": "CTO", "city": "Austin", "country": "United States"},
        {"first_name": "Ana", "last_name": "Souza", "email": "ana.souza@umbrella.example",
         "phone": "+551155550123", "title": "Procurement Manager, LATAM", "city": "São Paulo", "country": "Brazil"},
        {"first_name": "Lukas", "last_name": "Becker", "email": "lukas@hooli.example", "phone": "+4930901820",
         "title": "Einkauf", "city": "Berlin", "country": "Germany"},
        {"first_name": "Priya", "last_name": "Natarajan", "email": "priya@globex.example",
         "phone": "+442079460000", "title": "COO", "city": "London", "country": "United Kingdom"},
    ],
    "japanese": [
        {"last_name": "山田", "first_name": "太郎", "company": "株式会社サクラ商事", "phone": "+81312345678",
         "email": "t.yamada@sakura-shoji.example.jp"},
        {"last_name": "佐藤", "first_name": "花子", "company": "有限会社ミドリ", "phone": "+81698765432",
         "email": "hanako.sato@midori.example.jp"},
        {"last_name": "鈴木", "first_name": "一郎", "company": "スズキ精機株式会社", "phone": "+819011112222",
         "email": "ichiro@suzuki-seiki.example.jp"},
        {"last_name": "高橋", "first_name": "健", "company": "タカハシ物流", "phone": "+81453334444",
         "email": "ken.takahashi@takahashi-butsuryu.example.jp"},
        {"last_name": "山田", "first_name": "太郎", "company": "株式会社サクラ商事", "phone": "+81312349999",
         "email": "t.yamada@sakura-shoji.example.jp"},
    ],
}
