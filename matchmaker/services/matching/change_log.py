"""The match index change log: what every worker applies to keep its in-memory index current.

Every change to what is published writes one `index_change` row in the same transaction (`posting_changed`),
so a worker applies only the rows with an id above the last one it applied (services/matching/index.py).
On PostgreSQL the writer takes a table lock until its commit, so ids become visible in order and no worker
can skip a row that commits late; on SQLite writers are serialized anyway. Rows older than
MATCH_INDEX_CHANGE_RETENTION_HOURS are pruned by writers; a worker that slept past a pruned row resyncs fully.
"""
from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import current_app
from sqlalchemy import delete, func, select, text
from sqlalchemy.orm import Session

from matchmaker.extensions import db
from matchmaker.models import Chain, IndexChange, Need, Result
from matchmaker.models._base import utcnow
from matchmaker.models.posting import PUBLIC_STATUSES

PRUNE_EVERY = 100
"""Writers prune old rows when the new row's id is a multiple of this (cheap, and often enough)."""
PENDING = "index_changed"
"""Session.info key: this transaction wrote a change (the index looks again right after the commit)."""


def posting_changed(posting: Any) -> None:
    """Published content changed: log it inside the caller's transaction (None: a bulk write; a Chain: vocabulary)."""
    if posting is None:
        change = IndexChange(kind="", posting_id=None, op="resync")
    elif isinstance(posting, Chain):
        change = IndexChange(kind="chain", posting_id=posting.id, op="vocabulary")
    else:
        assert isinstance(posting, Result | Need)
        if posting.id is None:
            db.session.flush()
        op = "upsert" if posting.status in PUBLIC_STATUSES else "remove"
        change = IndexChange(kind=posting.kind, posting_id=posting.id, op=op)
    _write(change)


def lexicon_changed(chain: Chain) -> None:
    """A chain's firm vocabulary changed: workers swap their query expansion (nothing is re-tokenized)."""
    _write(IndexChange(kind="chain", posting_id=chain.id, op="lexicon"))


def _write(change: IndexChange) -> None:
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("LOCK TABLE index_change IN SHARE ROW EXCLUSIVE MODE"))
    db.session.add(change)
    db.session.flush()
    db.session.info[PENDING] = True
    if change.id % PRUNE_EVERY == 0:
        prune(db.session, keep_after=change.id)


def prune(session: Session, keep_after: int | None = None) -> int:
    """Delete change rows older than the retention (never the newest one); returns how many went."""
    hours = float(current_app.config["MATCH_INDEX_CHANGE_RETENTION_HOURS"])
    newest = keep_after if keep_after is not None else session.scalar(select(func.max(IndexChange.id))) or 0
    gone = session.execute(delete(IndexChange).where(IndexChange.created_at < utcnow() - timedelta(hours=hours),
                                                     IndexChange.id < newest))
    return int(gone.rowcount or 0)  # type: ignore[attr-defined]


def changes_after(session: Session, last: int, limit: int) -> list[tuple[int, str, int | None, str]]:
    """(id, kind, posting_id, op) of the changes with an id above `last`, oldest first, at most `limit`."""
    rows = session.execute(select(IndexChange.id, IndexChange.kind, IndexChange.posting_id, IndexChange.op)
                           .where(IndexChange.id > last).order_by(IndexChange.id).limit(limit))
    return [(r[0], r[1], r[2], r[3]) for r in rows]


def newest(session: Session) -> int:
    """The newest change id as this session sees it (0 before anything was published)."""
    return session.scalar(select(func.max(IndexChange.id))) or 0


def pruned_past(session: Session, last: int) -> bool:
    """True when rows right after `last` may have been pruned (then only a full resync is safe)."""
    oldest = session.scalar(select(func.min(IndexChange.id)))
    return oldest is not None and oldest > last + 1
