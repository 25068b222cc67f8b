"""Feedback on suggestions and the precision it implies."""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from matchmaker.extensions import db
from matchmaker.models import Chain, MatchFeedback, User
from matchmaker.services import audit
from matchmaker.services.errors import NotFound, PermissionDenied
from matchmaker.services.matching.suggestions import OTHER, target_of
from matchmaker.services.permissions import may_edit, require_staff, require_user


def record_feedback(actor: User | None, source_kind: str, source_id: int, target_id: int, useful: bool,
                    rank: int) -> MatchFeedback:
    """Staff or the source posting's owner mark one suggestion useful or not (again: the verdict is replaced)."""
    user = require_user(actor)
    if source_kind not in OTHER:
        raise NotFound(_l("找不到该记录。"))
    source, target = target_of(source_kind, source_id), target_of(OTHER[source_kind], target_id)
    if source is None or target is None:
        raise NotFound(_l("找不到该记录。"))
    if not may_edit(user, source):
        raise PermissionDenied(_l("只有发布者和科技局工作人员可以评价推荐结果。"))
    row = db.session.scalar(select(MatchFeedback).where(
        MatchFeedback.user_id == user.id, MatchFeedback.source_kind == source_kind,
        MatchFeedback.source_id == source_id, MatchFeedback.target_kind == OTHER[source_kind],
        MatchFeedback.target_id == target_id))
    if row is None:
        row = MatchFeedback(user_id=user.id, source_kind=source_kind, source_id=source_id,
                            target_kind=OTHER[source_kind], target_id=target_id)
        db.session.add(row)
    changes = audit.apply_changes(row, {"useful": useful, "rank": max(rank, 0), "chain_id": source.chain_id})
    audit.record(user, "match_feedback", row, changes)
    db.session.commit()
    return row


@dataclass(frozen=True)
class ChainPrecision:
    chain: Chain | None
    judged: int
    useful: int

    @property
    def precision(self) -> float | None:
        return self.useful / self.judged if self.judged else None


def precision_at_5(actor: User | None) -> list[ChainPrecision]:
    """Per chain: of the judged suggestions ranked 1-5, the share marked useful."""
    require_staff(actor)
    rows = db.session.scalars(select(MatchFeedback).where(MatchFeedback.rank.between(1, 5)))
    tally: dict[int | None, list[int]] = {}
    for row in rows:
        counts = tally.setdefault(row.chain_id, [0, 0])
        counts[0] += 1
        counts[1] += int(row.useful)
    chains = {c.id: c for c in db.session.scalars(select(Chain))}
    out = [ChainPrecision(chains.get(cid) if cid else None, n, u) for cid, (n, u) in tally.items()]
    return sorted(out, key=lambda cp: (cp.chain.sort_order if cp.chain else 999))
