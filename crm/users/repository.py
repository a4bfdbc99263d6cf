from __future__ import annotations

from sqlalchemy import func, select

from crm.repository import Repository
from crm.users.tables import ApiKey, User

__all__ = ["UserRepository", "ApiKeyRepository"]


class UserRepository(Repository[User]):
    model = User
    sortable = ("id", "email", "name", "role", "created_at")
    filterable = ("role", "is_active")

    def by_email(self, email: str) -> User | None:
        return self.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))

    def count_admins(self) -> int:
        return self.session.scalar(select(func.count()).where(User.role == "admin")) or 0


class ApiKeyRepository(Repository[ApiKey]):
    model = ApiKey
    sortable = ("id", "created_at", "name")

    def by_prefix(self, prefix: str) -> ApiKey | None:
        return self.session.scalar(select(ApiKey).where(ApiKey.prefix == prefix))

    def for_user(self, user_id: int) -> list[ApiKey]:
        return list(self.session.scalars(select(ApiKey).where(ApiKey.user_id == user_id).order_by(ApiKey.id)))

    def all_keys(self) -> list[ApiKey]:
        return list(self.session.scalars(select(ApiKey).order_by(ApiKey.id)))
