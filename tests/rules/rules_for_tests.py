"""Rules an admin writes by hand (as JSON, through the API) for the four forms of ``tests.rules.forms``."""

from __future__ import annotations

ORDERS_MODULE = {"name": "orders", "label": "Orders", "title_field": "order_number", "fields": [
    {"name": "order_number", "type": "text", "required": True}, {"name": "order_date", "type": "date"},
    {"name": "customer", "type": "text"}, {"name": "email", "type": "email"}, {"name": "total", "type": "money"}]}


def _label(field: str, *labels: str, transforms: tuple = ({"type": "trim"},), **extra) -> dict:
    return {"field": field, "extractor": {"type": "label", "labels": list(labels), **extra},
            "transforms": list(transforms)}


RULES: dict[str, dict] = {
    "web_form": {
        "name": "Website contact form", "active": True, "module": "leads", "action": "upsert", "key_field": "email",
        "senders": ["acme-widgets.example"],
        "conditions": [{"on": "subject", "op": "contains", "value": "New contact form submission"}],
        "mappings": [
            _label("first_name", "Name", "Full name", transforms=({"type": "split_name", "part": "first"},)),
            _label("last_name", "Name", "Full name", transforms=({"type": "split_name", "part": "last"},)),
            _label("email", "Email", "E-mail", transforms=({"type": "trim"}, {"type": "case", "to": "lower"})),
            {**_label("company", "Company"), "required": True},
            _label("phone", "Phone", transforms=({"type": "phone", "region": "US"},)),
            {"field": "lead_source", "extractor": {"type": "header", "name": "X-Lead-Source"},
             "transforms": [{"type": "default", "value": "web form"}]},
        ],
    },
    "order_html": {
        "name": "Shopfront orders", "active": True, "module": "orders", "action": "upsert",
        "key_field": "order_number", "senders": ["orders@shopfront.example"],
        "conditions": [{"on": "subject", "op": "regex", "value": r"^Order SF-\d+ confirmed$"}],
        "mappings": [
            {"field": "order_number", "extractor": {"type": "html_table", "label": "Order number"}, "required": True},
            {"field": "order_date", "extractor": {"type": "html_table", "label": "Order date"},
             "transforms": [{"type": "date", "format": "%d %B %Y"}]},
            {"field": "customer", "extractor": {"type": "html_table", "label": "Customer"}},
            {"field": "email", "extractor": {"type": "html_table", "label": "E-mail"}},
            {"field": "total", "extractor": {"type": "html_table", "label": "Order total"},
             "transforms": [{"type": "number"}]},
        ],
    },
    "webhook_json": {
        "name": "FormRelay demo requests", "active": True, "module": "contacts", "action": "upsert",
        "key_field": "email", "senders": ["hooks@formrelay.example"],
        "conditions": [{"on": "header", "header": "X-FormRelay-Event", "op": "equals", "value": "form.submitted"}],
        "mappings": [
            {"field": "first_name", "extractor": {"type": "json", "path": "$.data.contact.first_name"}},
            {"field": "last_name", "extractor": {"type": "json", "path": "$.data.contact.last_name"}},
            {"field": "email", "extractor": {"type": "json", "path": "$.data.contact.email"},
             "transforms": [{"type": "case", "to": "lower"}]},
            {"field": "phone", "extractor": {"type": "json", "path": "$.data.contact.phone"},
             "transforms": [{"type": "phone", "region": "GB"}]},
            {"field": "title", "extractor": {"type": "json", "path": "data.contact.job_title"}},
            {"field": "city", "extractor": {"type": "json", "path": "data.location.city"}},
            {"field": "country", "extractor": {"type": "json", "path": "data.location.country"}},
        ],
    },
    "japanese": {
        "name": "お問い合わせフォーム", "active": True, "module": "leads", "action": "upsert", "key_field": "email",
        "senders": ["form@sakura-kogyo.example.jp"],
        "conditions": [{"on": "subject", "op": "contains", "value": "【お問い合わせ】"}],
        "mappings": [
            _label("last_name", "お名前", "氏名", transforms=({"type": "split_name", "part": "last"},)),
            _label("first_name", "お名前", "氏名", transforms=({"type": "split_name", "part": "first"},)),
            _label("company", "会社名"),
            _label("phone", "電話番号", transforms=({"type": "phone", "region": "JP"},)),
            _label("email", "メールアドレス", transforms=({"type": "trim"}, {"type": "case", "to": "lower"})),
        ],
    },
}

MODULE_OF = {form: rule["module"] for form, rule in RULES.items()}
KEY_OF = {form: rule["key_field"] for form, rule in RULES.items()}
