"""When a posting becomes public: alert every subscription it matches (in the publishing transaction).

`posting_published` is called by the code that makes a posting public (staff publishing it, an import creating it
published) before its commit, so the posting, its notifications and their e-mail commit together or not at all.
Candidates come from the reverse index (reverse.py); each is then checked on the scale people see and against its
filters. An account is never alerted about its own posting, and a subscription at most once per posting (a
posting withdrawn and published again does not alert twice).
"""
from __future__ import annotations

from flask import current_app
from sqlalchemy import select

from matchmaker.engine import Hit
from matchmaker.extensions import db
from matchmaker.models import Alert, Need, Result, Subscription
from matchmaker.models._base import utcnow
from matchmaker.services.alerts import mails, reverse
from matchmaker.services.alerts.subscriptions import MODELS, describe, frequency_of
from matchmaker.services.matching import index as match_index
from matchmaker.services.matching.suggestions import pair_hit, score_percent
from matchmaker.services.notify.notifications import notify

Posting = Result | Need


def _passes_filters(sub: Subscription, posting: Posting) -> bool:
    """The search page's filters, applied to one posting (the same rules as postings.lifecycle.apply_filter)."""
    if sub.chain_id and posting.chain_id != sub.chain_id:
        return False
    flt = sub.filters or {}
    trl = posting.trl if isinstance(posting, Result) else posting.trl_min
    if flt.get("trl_min") and (trl is None or trl < int(flt["trl_min"])):  # type: ignore[call-overload]
        return False
    if flt.get("trl_max") and (trl is None or trl > int(flt["trl_max"])):  # type: ignore[call-overload]
        return False
    return not (flt.get("mode") and flt["mode"] not in (posting.modes or []))


def _search_score(sub: Subscription, posting: Posting) -> float | None:
    """The search score the posting gets for the saved text, as the search page ranks it; None below the cut."""
    with match_index.reading() as state:
        target = match_index.doc_id(posting.kind, posting.id)
        doc = match_index.document_for(posting)
        hit: Hit | None = (state.index.score_of(sub.q, target) if target in state.index
                           else state.index.score_document(sub.q, doc))
    if hit is None or hit.score < float(current_app.config["SEARCH_MIN_SCORE"]):
        return None
    return hit.score


def _pair_score(sub: Subscription, posting: Posting) -> float | None:
    """The pair score of the subscribed posting and the new one; None below the subscription's minimum."""
    own = db.session.get(MODELS[sub.posting_kind], sub.posting_id or 0)
    if own is None or own.status not in ("published", "transferred"):
        return None
    need, result = (posting, own) if isinstance(posting, Need) else (own, posting)
    hit = pair_hit(need, result)  # type: ignore[arg-type]
    if hit is None or (score_percent(hit.score) or 0) < sub.min_score:
        return None
    return hit.score


def matching_subscriptions(posting: Posting) -> list[tuple[Subscription, float]]:
    """The active subscriptions this public posting matches, with the score each one uses (0..1)."""
    if not match_index.enabled() or db.session.scalar(
            select(Subscription.id).where(Subscription.active.is_(True), Subscription.target_kind == posting.kind)
            .limit(1)) is None:
        return []  # nobody subscribes to this kind: no index is touched
    ids = reverse.candidates(posting)
    if not ids:
        return []
    subs = db.session.scalars(select(Subscription).where(Subscription.id.in_(ids), Subscription.active.is_(True))
                              .order_by(Subscription.id))
    found: list[tuple[Subscription, float]] = []
    for sub in subs:
        if sub.user_id == posting.owner_id or sub.target_kind != posting.kind:
            continue
        if sub.kind == "search":
            score = _search_score(sub, posting) if _passes_filters(sub, posting) else None
        else:
            score = _pair_score(sub, posting)
        if score is not None:
            found.append((sub, score))
    return found


def posting_published(posting: Posting) -> list[Alert]:
    """Alert every subscription the newly public posting matches (the caller commits). Returns the new alerts."""
    db.session.flush()
    already = set(db.session.scalars(select(Alert.subscription_id).where(
        Alert.posting_kind == posting.kind, Alert.posting_id == posting.id)))
    alerts: list[Alert] = []
    for sub, score in matching_subscriptions(posting):
        if sub.id in already or not sub.user.is_active:
            continue
        percent = score_percent(score) or 0
        alert = Alert(subscription_id=sub.id, user_id=sub.user_id, chain_id=sub.chain_id, posting_kind=posting.kind,
                      posting_id=posting.id, title=posting.title[:200], score=percent, created_at=utcnow())
        db.session.add(alert)
        notify(sub.user, "match_alert", "match_alert",
               {"subscription": describe(sub)[:100], "title": posting.title, "score": percent},
               link=mails.posting_path(posting.kind, posting.id))
        frequency = frequency_of(sub.user)
        if frequency == "immediate":
            mails.queue_alert(sub, alert)
        if frequency in ("immediate", "off"):
            alert.mailed_at = utcnow()  # nothing left for a digest: sent at once, or no alert e-mail wanted
        alerts.append(alert)
    return alerts
