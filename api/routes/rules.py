"""Parsing rules for apps: CRUD with versions and restore, learn from a sample, dry run, apply, parse log."""

from __future__ import annotations

from typing import Any

from fastapi import Body, Query, Request

from api.deps import DB, CurrentIdentity, get_runtime, protected, require
from api.errors import error_responses
from assistant.errors import Unavailable
from assistant.jobs.registry import JOBS
from crm.rules.learning import LearnService
from crm.rules.repository import RuleMailRepository
from crm.rules.schemas import (AddressIn, AddressOut, ApplyIn, ApplyOut, DryRunIn, LearnIn, LearnOut, ParseLogOut,
                               ParseLogPage, PlanOut, RuleOut, RuleVersionOut, SampleIn, SampleOut)
from crm.rules.service import RuleService
from mailio.ingest.dropbox import dropbox_domain

__all__ = ["router", "APPLY_JOB"]

APPLY_JOB = "rules.apply"
router = protected(prefix="/v1/rules", tags=["parsing rules"], dependencies=[require("admin")],
                   responses=error_responses(401, 403))

_DEFINITION = Body(description="A rule, as the RuleDefinition schema describes (see RuleOut.definition); "
                               "checked against the target module's fields when saved")


def _out(rule) -> RuleOut:
    return RuleOut.model_validate(rule)


# --- static paths first (they would otherwise read as a rule id) -------------------------------------
@router.post("/sample", response_model=SampleOut, responses=error_responses(404, 422),
             summary="Read a sample mail (stored, or pasted) for learning")
def read_sample(body: SampleIn, who: CurrentIdentity, session: DB) -> SampleOut:
    service = LearnService(session, who)
    return SampleOut(**service.describe(service.sample(email_id=body.email_id, raw=body.raw)))


@router.post("/learn", response_model=LearnOut, responses=error_responses(404, 422),
             summary="Learn a field mapping from a highlighted value",
             description="Send the sample (a stored mail's id, or the pasted text), the highlighted text and where "
                         "it starts, and the field it fills. The answer is a mapping whose extractor points at the "
                         "value through the text around it, what it gives on the sample, and on recent mails the "
                         "draft rule (`draft`: senders and conditions) would match.")
def learn(body: LearnIn, who: CurrentIdentity, session: DB) -> LearnOut:
    service = LearnService(session, who)
    sample = service.sample(email_id=body.email_id, raw=body.raw)
    return LearnOut(**service.learn(sample, module=body.module, field=body.field, selection=body.selection,
                                    start=body.start, source=body.source,
                                    draft=body.draft.model_dump(mode="json") if body.draft else None))


@router.post("/dry-run", response_model=list[PlanOut], responses=error_responses(404, 422),
             summary="What a rule (saved or draft), or every rule, would do with a stored or pasted mail")
def dry_run(body: DryRunIn, who: CurrentIdentity, session: DB) -> list[PlanOut]:
    plans = RuleService(session, who).dry_run(body.email_id, raw=body.raw, rule_id=body.rule_id,
                                              definition=body.rule)
    return [PlanOut(**plan.to_json()) for plan in plans]


@router.get("/log", response_model=ParseLogPage, responses=error_responses(422),
            summary="Every parse: rule version, mail, outcome, record; `failures=true` for what needs a person")
def parse_log(who: CurrentIdentity, session: DB, outcome: str | None = None, rule_id: int | None = None,
              email_id: int | None = None, failures: bool = False, offset: int = Query(0, ge=0),
              limit: int = Query(50, ge=1, le=500)) -> ParseLogPage:
    page = RuleService(session, who).log(outcome=outcome, rule_id=rule_id, email_id=email_id, failures=failures,
                                         offset=offset, limit=limit)
    return ParseLogPage(items=[ParseLogOut.model_validate(e) for e in page.items], total=page.total,
                        offset=page.offset, limit=page.limit)


@router.get("/addresses", response_model=list[AddressOut], summary="The parser's own addresses")
def list_addresses(who: CurrentIdentity, session: DB) -> list[AddressOut]:
    return [AddressOut.model_validate(a) for a in RuleService(session, who).list_addresses()]


@router.post("/addresses", response_model=AddressOut, status_code=201, responses=error_responses(409, 422),
             summary="Add an address of the ingest server whose mail goes to the rules")
def add_address(request: Request, who: CurrentIdentity, session: DB, body: AddressIn | None = None) -> AddressOut:
    body = body or AddressIn()
    domain = dropbox_domain(get_runtime(request).settings)
    return AddressOut.model_validate(RuleService(session, who).add_address(domain, body.address, body.owner_id))


@router.delete("/addresses/{address_id}", status_code=204, responses=error_responses(404))
def remove_address(address_id: int, who: CurrentIdentity, session: DB) -> None:
    RuleService(session, who).remove_address(address_id)


# --- rules -----------------------------------------------------------------------------------------
@router.get("/deleted", response_model=list[RuleOut], summary="Deleted rules, newest first (they can be undeleted)")
def list_deleted(who: CurrentIdentity, session: DB) -> list[RuleOut]:
    return [_out(rule) for rule in RuleService(session, who).deleted()]


@router.post("/{rule_id}/undelete", response_model=RuleOut, responses=error_responses(404),
             summary="Bring a deleted rule back, inactive, with its versions")
def undelete(rule_id: int, who: CurrentIdentity, session: DB) -> RuleOut:
    return _out(RuleService(session, who).undelete(rule_id))


@router.get("", response_model=list[RuleOut], summary="Every rule, by priority")
def list_rules(who: CurrentIdentity, session: DB) -> list[RuleOut]:
    return [_out(r) for r in RuleService(session, who).list()]


@router.post("", response_model=RuleOut, status_code=201, responses=error_responses(422),
             summary="Create a rule (validated; version 1)")
def create_rule(who: CurrentIdentity, session: DB, body: dict[str, Any] = _DEFINITION) -> RuleOut:
    return _out(RuleService(session, who).create(body))


@router.get("/{rule_id}", response_model=RuleOut, responses=error_responses(404))
def get_rule(rule_id: int, who: CurrentIdentity, session: DB) -> RuleOut:
    return _out(RuleService(session, who).get(rule_id))


@router.put("/{rule_id}", response_model=RuleOut, responses=error_responses(404, 422),
            summary="Replace a rule's definition (a new version with its diff, when anything changed)")
def update_rule(rule_id: int, who: CurrentIdentity, session: DB, body: dict[str, Any] = _DEFINITION) -> RuleOut:
    return _out(RuleService(session, who).update(rule_id, body))


@router.post("/{rule_id}/activate", response_model=RuleOut, responses=error_responses(404, 422))
def activate(rule_id: int, who: CurrentIdentity, session: DB) -> RuleOut:
    return _out(RuleService(session, who).set_active(rule_id, True))


@router.post("/{rule_id}/deactivate", response_model=RuleOut, responses=error_responses(404, 422))
def deactivate(rule_id: int, who: CurrentIdentity, session: DB) -> RuleOut:
    return _out(RuleService(session, who).set_active(rule_id, False))


@router.delete("/{rule_id}", status_code=204, responses=error_responses(404))
def delete_rule(rule_id: int, who: CurrentIdentity, session: DB) -> None:
    RuleService(session, who).delete(rule_id)


@router.get("/{rule_id}/versions", response_model=list[RuleVersionOut], responses=error_responses(404),
            summary="Every version, newest first: who, when, what changed")
def versions(rule_id: int, who: CurrentIdentity, session: DB) -> list[RuleVersionOut]:
    return [RuleVersionOut.model_validate(v) for v in RuleService(session, who).history(rule_id)]


@router.post("/{rule_id}/versions/{version}/restore", response_model=RuleOut,
             responses=error_responses(404, 409, 422), summary="Make an old version current again (as a new one)")
def restore(rule_id: int, version: int, who: CurrentIdentity, session: DB) -> RuleOut:
    return _out(RuleService(session, who).restore(rule_id, version))


@router.post("/{rule_id}/apply", response_model=ApplyOut, status_code=202, responses=error_responses(404, 422, 503),
             summary="Run a rule on stored mail, in the job layer")
def apply(rule_id: int, request: Request, who: CurrentIdentity, session: DB, body: ApplyIn) -> ApplyOut:
    return ApplyOut(**enqueue_apply(request, session, who, rule_id, body.email_ids, body.recent))


def enqueue_apply(request: Request, session, who, rule_id: int, email_ids: list[int] | None,
                  recent: int | None) -> dict[str, Any]:
    service = RuleService(session, who)
    rule = service.get(rule_id)
    if APPLY_JOB not in JOBS:
        raise Unavailable("the rules jobs are not loaded (crm.rules.jobs is missing from the job catalog)",
                          code="jobs_not_loaded")
    if email_ids is None:
        senders = rule.definition.get("senders") or []
        email_ids = RuleMailRepository(session).recent_ids(senders=senders, limit=recent or 200)
    job_id = get_runtime(request).enqueue(session, APPLY_JOB, rule_id, email_ids, who.user_id,
                                          owner_id=who.user_id)
    return {"job_id": job_id, "email_ids": email_ids}
