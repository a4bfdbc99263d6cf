"""Suggestions from a parsed signature: updates for a known person, or a new contact or lead.

Nothing is overwritten silently: every difference becomes a suggestion with the old value, the new
value, its confidence and the signature line it came from.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import phonenumbers

from assistant.suggestions.repository import SuggestionRepository
from crm.mail.tables import Email
from crm.org.settings import OrgSettingsModel

__all__ = ["Draft", "signature_drafts"]

# Signature field -> record field, for each module a person can be (phones are handled by type).
_SIMPLE = {
    "contacts": {"title": "title", "department": "department"},
    "leads": {"title": "title", "company": "company"},
}
_ADDRESS = ("street", "city", "region", "postal_code", "country")
_PHONE_FIELD = {"contacts": {"work": "phone", "mobile": "mobile", "fax": "fax", "other": "phone"},
                "leads": {"work": "phone", "mobile": "mobile", "other": "phone"}}


@dataclass
class Draft:
    kind: str
    module: str
    record_id: int | None
    field: str | None
    old_value: str | None
    new_value: Any
    confidence: float
    evidence: str | None
    dedupe_key: str


def _same(field: str, old: Any, new: Any) -> bool:
    if old is None or new is None:
        return old is None and new is None
    if field in ("phone", "mobile", "fax"):
        return _e164(str(old)) == _e164(str(new))
    if field in ("website", "linkedin"):
        return _bare_url(str(old)) == _bare_url(str(new))
    return " ".join(str(old).lower().split()) == " ".join(str(new).lower().split())


def _bare_url(url: str) -> str:
    """'https://www.x.com/a/' and 'x.com/a' name the same page."""
    text = url.strip().lower()
    for prefix in ("https://", "http://", "www."):
        if text.startswith(prefix):
            text = text[len(prefix):]
    return text.rstrip("/")


def _e164(number: str) -> str:
    try:
        parsed = phonenumbers.parse(number, None if number.strip().startswith("+") else "US")
        return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
    except phonenumbers.NumberParseException:
        return "".join(ch for ch in number if ch.isdigit() or ch == "+")


def _proposed(module: str, signature: dict) -> list[tuple[str, Any, float, str | None]]:
    """(record field, value, confidence, source line) for every field the signature gives."""
    fields, evidence = signature.get("fields") or {}, signature.get("evidence") or {}

    def ev(name: str) -> tuple[float, str | None]:
        item = evidence.get(name) or {}
        return float(item.get("confidence", 0.5)), item.get("line")

    out: list[tuple[str, Any, float, str | None]] = []
    for source, target in _SIMPLE.get(module, {}).items():
        if fields.get(source):
            out.append((target, fields[source], *ev(source)))
    phone_items = (evidence.get("phones") or {}).get("items") or []
    for index, phone in enumerate(fields.get("phones") or []):
        target = _PHONE_FIELD.get(module, {}).get(phone.get("type", "other"))
        if target and phone.get("number") and target not in {o[0] for o in out}:
            conf, line = ev("phones")
            item = phone_items[index] if index < len(phone_items) else {}
            # The whole signature line ("M: +1 415 555 0176"), so the rep sees the label too.
            out.append((target, phone["number"], float(item.get("confidence", conf)),
                        item.get("line") or line or phone.get("raw")))
    if fields.get("websites"):
        out.append(("website", fields["websites"][0], *ev("websites")))
    linkedin = next((s for s in fields.get("socials") or [] if "linkedin." in s.lower()), None)
    if linkedin and module == "contacts":
        out.append(("linkedin", linkedin, *ev("socials")))
    parts = fields.get("address_parts") or {}
    for name in _ADDRESS:
        if parts.get(name):
            out.append((name, parts[name], *ev("address")))
    return out


def signature_drafts(repo: SuggestionRepository, email: Email, result: dict, org: OrgSettingsModel) -> list[Draft]:
    signature = result.get("signature")
    if not signature or email.direction != "in" or not email.from_addr:
        return []
    fields = signature.get("fields") or {}
    record, module = repo.contact_by_address(email.from_addr), "contacts"
    if record is None:
        record, module = repo.lead_by_address(email.from_addr), "leads"
    names = fields.get("name_parts") or {}
    if record is None and names.get("given") and names.get("family") and fields.get("company"):
        record, module = repo.contact_by_name_and_company(names["given"], names["family"], fields["company"]), \
            "contacts"
    if record is not None:
        drafts = []
        for target, value, confidence, line in _proposed(module, signature):
            old = getattr(record, target, None)
            if _same(target, old, value):
                continue
            drafts.append(Draft("contact_update", module, record.id, target, None if old is None else str(old),
                                value, round(confidence, 3), line,
                                f"upd:{module}:{record.id}:{target}:{str(value).lower()}"[:300]))
        return drafts
    if org.signature_new_sender == "none":
        return []
    module = "contacts" if org.signature_new_sender == "contact" else "leads"
    payload: dict[str, Any] = {"email": email.from_addr}
    given, family = names.get("given"), names.get("family")
    if not (given or family) and email.from_name:
        given, _, family = email.from_name.partition(" ")
    if given:
        payload["first_name"] = given
    if family:
        payload["last_name"] = family
    for target, value, _, _ in _proposed(module, signature):
        payload.setdefault(target, value)
    if module == "contacts" and fields.get("company"):
        payload["company"] = fields["company"]  # becomes the contact's account on accept
    name_conf = float((signature.get("evidence") or {}).get("name", {}).get("confidence", 0.5))
    return [Draft("new_record", module, None, None, None, payload, round(name_conf, 3),
                  (signature.get("evidence") or {}).get("name", {}).get("line"),
                  f"new:{module}:{email.from_addr.lower()}")]
