from __future__ import annotations

from sqlalchemy import func, select

from assistant.batches.tables import AnalysisBatch, AnalysisBatchItem
from crm.repository import Repository

__all__ = ["BatchRepository"]


class BatchRepository(Repository[AnalysisBatch]):
    model = AnalysisBatch

    def pending_items(self, batch_id: str, limit: int) -> list[AnalysisBatchItem]:
        query = (select(AnalysisBatchItem).where(AnalysisBatchItem.batch_id == batch_id,
                                                 AnalysisBatchItem.result.is_(None))
                 .order_by(AnalysisBatchItem.position).limit(limit))
        return list(self.session.scalars(query))

    def results(self, batch_id: str, offset: int, limit: int) -> list[AnalysisBatchItem]:
        query = (select(AnalysisBatchItem).where(AnalysisBatchItem.batch_id == batch_id)
                 .order_by(AnalysisBatchItem.position).offset(offset).limit(limit))
        return list(self.session.scalars(query))

    def done_count(self, batch_id: str) -> int:
        return self.session.scalar(select(func.count()).where(AnalysisBatchItem.batch_id == batch_id,
                                                              AnalysisBatchItem.result.is_not(None))) or 0
