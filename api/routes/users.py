"""Managing users (admins only)."""

from __future__ import annotations

from api.deps import DB, protected, require
from api.errors import error_responses
from crm.users.schemas import UserCreate, UserOut
from crm.users.service import UserService

router = protected(prefix="/v1/users", tags=["users"], dependencies=[require("admin")],
                   responses=error_responses(401, 403))


@router.get("", response_model=list[UserOut])
def list_users(session: DB, offset: int = 0, limit: int = 100, sort: str | None = None) -> list[UserOut]:
    page = UserService(session).users.page(sort=sort, offset=offset, limit=limit)
    return [UserOut.model_validate(u) for u in page.items]


@router.post("", response_model=UserOut, status_code=201, responses=error_responses(409, 422))
def create_user(body: UserCreate, session: DB) -> UserOut:
    user = UserService(session).create_user(body.email, body.password, name=body.name, role=body.role)
    return UserOut.model_validate(user)
