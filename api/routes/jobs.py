"""Job progress: a user sees their own jobs, an admin sees all."""

from __future__ import annotations

from fastapi import Query

from api.deps import DB, CurrentIdentity, protected
from api.errors import error_responses
from assistant.errors import NotFound
from assistant.jobs.runs import JobRunRepository
from assistant.jobs.schemas import JobOut, JobPage

router = protected(prefix="/v1/jobs", tags=["jobs"], responses=error_responses(401, 403))


@router.get("", response_model=JobPage, responses=error_responses(422))
def list_jobs(who: CurrentIdentity, session: DB, state: str | None = None, name: str | None = None,
              offset: int = Query(0, ge=0), limit: int = Query(50, ge=1, le=500)) -> JobPage:
    filters = {"state": state, "name": name, "owner_id": None if who.has("admin") else who.user_id}
    page = JobRunRepository(session).page(sort="-created_at", filters=filters, offset=offset, limit=limit)
    return JobPage(items=[JobOut.model_validate(j) for j in page.items], total=page.total, offset=page.offset,
                   limit=page.limit)


@router.get("/{job_id}", response_model=JobOut, responses=error_responses(404))
def get_job(job_id: str, who: CurrentIdentity, session: DB) -> JobOut:
    run = JobRunRepository(session).get(job_id)
    if run is None or (not who.has("admin") and run.owner_id != who.user_id):
        raise NotFound(f"job {job_id} not found")
    return JobOut.model_validate(run)
