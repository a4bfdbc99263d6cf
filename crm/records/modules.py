"""The built-in modules: their tables and field descriptions, in one table of data."""

from __future__ import annotations

from dataclasses import dataclass

from crm.db import Base
from crm.records.fields import FieldSpec as F
from crm.records.tables import Account, Call, Contact, Deal, Event, Lead, Note, Task, Vendor

__all__ = ["ModuleSpec", "MODULES", "DEAL_STAGES", "OPEN_STAGES", "ACTIVITY_MODULES"]

DEAL_STAGES = ("qualification", "needs_analysis", "proposal", "negotiation", "closed_won", "closed_lost")
OPEN_STAGES = DEAL_STAGES[:4]
ACTIVITY_MODULES = ("tasks", "events", "calls")


@dataclass(frozen=True)
class ModuleSpec:
    name: str
    label: str
    table: type[Base]
    fields: tuple[F, ...]
    title: tuple[str, ...]  # fields joined to name a record in lists and links

    def field(self, name: str) -> F | None:
        return next((f for f in self.fields if f.name == name), None)


_PERSON = (
    F("first_name", listed=True), F("last_name", listed=True), F("email", "email", listed=True),
    F("phone", "phone"), F("mobile", "phone"), F("title", "text", listed=True), F("website", "url"),
    F("street"), F("city"), F("region"), F("postal_code"), F("country"),
)
_RELATED = (
    F("contact_id", "ref", ref="contacts", label="Contact"), F("lead_id", "ref", ref="leads", label="Lead"),
    F("account_id", "ref", ref="accounts", label="Account"), F("deal_id", "ref", ref="deals", label="Deal"),
    F("email_id", "ref", ref="emails", label="From mail", filterable=True),
)

MODULES: dict[str, ModuleSpec] = {m.name: m for m in (
    ModuleSpec("leads", "Leads", Lead, _PERSON + (
        F("company", listed=True),
        F("status", "choice", choices=("new", "contacted", "qualified", "lost", "converted"), listed=True),
        F("lead_source"),
    ), ("first_name", "last_name")),
    ModuleSpec("contacts", "Contacts", Contact, _PERSON + (
        F("department"), F("fax", "phone"), F("linkedin", "url"),
        F("account_id", "ref", ref="accounts", label="Account", listed=True),
    ), ("first_name", "last_name")),
    ModuleSpec("accounts", "Accounts", Account, (
        F("name", required=True, listed=True), F("domain", listed=True), F("website", "url"), F("phone", "phone"),
        F("industry"), F("type", "choice", choices=("prospect", "customer", "partner", "vendor", "other"),
                         listed=True),
        F("city"), F("country"),
    ), ("name",)),
    ModuleSpec("deals", "Deals", Deal, (
        F("name", required=True, listed=True), F("stage", "choice", choices=DEAL_STAGES, listed=True),
        F("amount", "money", listed=True), F("currency", max_length=3), F("close_date", "date", listed=True),
        F("probability", "number"), F("account_id", "ref", ref="accounts", label="Account"),
        F("contact_id", "ref", ref="contacts", label="Contact"),
    ), ("name",)),
    ModuleSpec("vendors", "Vendors", Vendor, (
        F("name", required=True, listed=True), F("email", "email", listed=True), F("phone", "phone"),
        F("website", "url"), F("category", listed=True),
    ), ("name",)),
    ModuleSpec("tasks", "Tasks", Task, (
        F("subject", required=True, listed=True), F("due_date", "datetime", listed=True),
        F("status", "choice", choices=("open", "in_progress", "done", "cancelled"), listed=True),
        F("priority", "choice", choices=("low", "normal", "high")), F("description", "longtext"),
    ) + _RELATED, ("subject",)),
    ModuleSpec("events", "Events", Event, (
        F("title", required=True, listed=True), F("start", "datetime", listed=True), F("end", "datetime"),
        F("timezone"), F("location", listed=True), F("video_link", "url"), F("description", "longtext"),
        F("status", "choice", choices=("tentative", "confirmed", "cancelled")), F("ical_uid", filterable=True),
    ) + _RELATED, ("title",)),
    ModuleSpec("calls", "Calls", Call, (
        F("subject", required=True, listed=True), F("phone", "phone", listed=True),
        F("direction", "choice", choices=("inbound", "outbound")), F("scheduled_at", "datetime", listed=True),
        F("duration_s", "number"), F("status", "choice", choices=("planned", "held", "missed", "cancelled"),
                                     listed=True),
        F("description", "longtext"),
    ) + _RELATED, ("subject",)),
    ModuleSpec("notes", "Notes", Note, (
        F("body", "longtext", required=True, listed=True), F("parent_module"), F("parent_id", "number"),
    ), ("body",)),
)}
