"""Who am I, and my API keys (admins see and revoke everyone's)."""

from __future__ import annotations

from fastapi import Request

from api.deps import DB, CurrentIdentity, protected
from api.errors import error_responses
from crm.users.schemas import ApiKeyCreate, ApiKeyCreated, ApiKeyOut, MeOut
from crm.users.service import UserService

router = protected(prefix="/v1", tags=["account"], responses=error_responses(401, 403))


@router.get("/me", response_model=MeOut)
def me(who: CurrentIdentity) -> MeOut:
    return MeOut(id=who.user_id, email=who.email, role=who.role, scopes=sorted(who.scopes), via=who.via)


@router.get("/api-keys", response_model=list[ApiKeyOut])
def list_keys(who: CurrentIdentity, session: DB) -> list[ApiKeyOut]:
    users = UserService(session)
    keys = users.keys.all_keys() if who.has("admin") else users.keys.for_user(who.user_id)
    return [ApiKeyOut.model_validate(k) for k in keys]


@router.post("/api-keys", response_model=ApiKeyCreated, status_code=201, responses=error_responses(422))
def create_key(body: ApiKeyCreate, who: CurrentIdentity, session: DB, request: Request) -> ApiKeyCreated:
    users = UserService(session)
    user = users.users.get_or_raise(who.user_id)
    key, plaintext = users.create_api_key(user, body.scopes, body.name)
    return ApiKeyCreated(**ApiKeyOut.model_validate(key).model_dump(), key=plaintext)


@router.delete("/api-keys/{key_id}", response_model=ApiKeyOut, responses=error_responses(404))
def revoke_key(key_id: int, who: CurrentIdentity, session: DB) -> ApiKeyOut:
    return ApiKeyOut.model_validate(UserService(session).revoke_api_key(key_id, by=who))
