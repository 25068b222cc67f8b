"""Planning an event from the match index: which results to present, which companies to invite.

For each published need in the event's chains, the index finds the best published results in those chains.
A result scores its best need's score; a company scores its best need's best result. Needs whose company an
earlier event (planned or held, not cancelled) already invited or met count for less (COVERED_WEIGHT), so each
event reaches firms the programme has not covered yet; the page shows them with a 已覆盖 badge.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from matchmaker import planning
from matchmaker.extensions import db
from matchmaker.models import Event, Intent, Invitation, Meeting, MeetingRequest, Need, Organization, Result, User
from matchmaker.models.posting import PUBLIC_STATUSES
from matchmaker.services import audit, fields
from matchmaker.services.errors import Conflict, FieldErrors
from matchmaker.services.events import agenda_lists
from matchmaker.services.events.events import add_to_lists, get_event, slot_time
from matchmaker.services.lookup import get_or_not_found
from matchmaker.services.matching import suggestions as matching
from matchmaker.services.matching.index import document_for
from matchmaker.services.permissions import agenda_open, require_staff

COVERED_WEIGHT = 0.5
"""Factor on the score of a need whose company an earlier event already invited or met."""
RESULTS_PER_NEED = 5
AGENDA_MIN_SCORE = 0.05
"""Smallest match score for a result × need pair to be proposed or offered to the agenda builder (ranked lists:
lower than the suggestion threshold MATCH_MIN_SCORE, staff pick from the top)."""
MAX_PROPOSALS = 30


@dataclass
class Proposal:
    """One proposed result or company, with the pair that earned its score."""

    target: Result | Organization
    score: float
    raw_score: float
    need: Need | None
    result: Result | None
    covered: bool
    chosen: bool = False


@dataclass
class Proposals:
    results: list[Proposal] = field(default_factory=list)
    companies: list[Proposal] = field(default_factory=list)
    needs_considered: int = 0
    needs_covered: int = 0
    covered_weight: float = COVERED_WEIGHT


def covered_org_ids(event: Event) -> set[int]:
    """Organizations that an earlier, not cancelled event invited or met."""
    earlier = select(Event.id).where(Event.id != event.id, Event.status != "cancelled",
                                     Event.starts_at < event.starts_at)
    invited = db.session.scalars(select(Invitation.org_id).where(Invitation.event_id.in_(earlier)))
    met = db.session.scalars(select(Meeting.company_id).where(Meeting.event_id.in_(earlier)))
    return set(invited) | set(met)


def _min_score() -> float:
    return float(current_app.config.get("AGENDA_MIN_SCORE", AGENDA_MIN_SCORE))


def _needs_in(chain_ids: list[int]) -> list[Need]:
    if not chain_ids:
        return []
    stmt = select(Need).where(Need.status == "published", Need.chain_id.in_(chain_ids)).order_by(Need.id)
    return list(db.session.scalars(stmt))


def _best_results(need: Need, chain_ids: list[int]) -> list[tuple[Result, float]]:
    found: dict[int, tuple[Result, float]] = {}
    doc = document_for(need)
    threshold = _min_score()
    for chain_id in chain_ids:
        for posting, hit in matching.search(doc, "result", k=RESULTS_PER_NEED, chain_id=chain_id, min_score=threshold):
            if isinstance(posting, Result) and posting.status == "published" and posting.org_id != need.org_id:
                found[posting.id] = (posting, hit.score)
    return sorted(found.values(), key=lambda rs: -rs[1])


def propose(event_id: int, actor: User | None) -> Proposals:
    """Ranked results to present and companies to invite for the event's chains."""
    event = get_event(event_id, actor)
    covered = covered_org_ids(event)
    weight = float(current_app.config.get("EVENT_COVERED_WEIGHT", COVERED_WEIGHT))
    by_result: dict[int, Proposal] = {}
    by_company: dict[int, Proposal] = {}
    out = Proposals(covered_weight=weight)
    for need in _needs_in(list(event.chain_ids or [])):
        is_covered = need.org_id in covered
        out.needs_considered += 1
        out.needs_covered += int(is_covered)
        factor = weight if is_covered else 1.0
        for result, raw in _best_results(need, list(event.chain_ids or [])):
            _keep(by_result, result.id, Proposal(result, raw * factor, raw, need, result, is_covered))
            _keep(by_company, need.org_id, Proposal(need.org, raw * factor, raw, need, result, is_covered))
    presented = {p.result_id for p in event.presentations}
    invited = {i.org_id for i in event.invitations}
    out.results = _ranked(by_result, presented)
    out.companies = _ranked(by_company, invited)
    return out


def _keep(best: dict[int, Proposal], key: int, candidate: Proposal) -> None:
    current = best.get(key)
    if current is None or candidate.score > current.score:
        best[key] = candidate


def _ranked(best: dict[int, Proposal], chosen: set[int]) -> list[Proposal]:
    rows = sorted(best.values(), key=lambda p: (-p.score, p.target.id))[:MAX_PROPOSALS]
    for p in rows:
        p.chosen = p.target.id in chosen
    return rows


def proposal_scores(event_id: int, actor: User | None) -> tuple[dict[int, float], dict[int, float]]:
    """Result id → score and organization id → score, to store with accepted proposals."""
    found = propose(event_id, actor)
    return ({p.target.id: round(p.score, 4) for p in found.results},
            {p.target.id: round(p.score, 4) for p in found.companies})


# ---------------------------------------------------------------- the 1:1 agenda



@dataclass(frozen=True)
class AgendaSummary:
    placed: int
    kept: int
    unscheduled: int
    total_score: float
    agreed: int = 0
    """Meetings the agenda holds for accepted 约见 requests (已约定)."""
    unplaced: tuple[str, ...] = ()
    """Who was left out: one readable line per candidate not placed."""
    invited: tuple[str, ...] = ()
    """Organizations the agenda put on the invitation list because they have a meeting."""


def _pair_id(result_id: int, need_id: int | None, company_id: int) -> str:
    return f"{result_id}:{need_id or '-'}:{company_id}"


def candidate_pairs(event: Event) -> list[planning.Pair]:
    """Presented results × needs of the invited companies that match at least AGENDA_MIN_SCORE."""
    threshold = _min_score()
    results = [p.result for p in event.presentations if p.result.status in PUBLIC_STATUSES]
    company_ids = [i.org_id for i in event.invitations]
    needs = list(db.session.scalars(select(Need).where(Need.status == "published", Need.org_id.in_(company_ids))
                                    .order_by(Need.id))) if company_ids else []
    pairs = []
    for result in results:
        for need in needs:
            score = matching.score_pair(need, result) if result.org_id != need.org_id else 0.0
            if score >= threshold and score > 0:
                pairs.append(planning.Pair(_pair_id(result.id, need.id, need.org_id), result.org_id, need.org_id,
                                           round(score, 6), (result.id, need.id)))
    return pairs


REQUEST_PAIR = "req:"
"""Pair-id prefix of an accepted meeting request: a required pair of the planning problem."""


@dataclass
class _Requests:
    """Accepted 约见 as required pairs, and the organization pairs a declined one rules out."""

    pairs: dict[str, planning.Pair] = field(default_factory=dict)
    declined: set[frozenset[int]] = field(default_factory=set)


def _request_pairs(event: Event, candidates: dict[str, planning.Pair]) -> _Requests:
    out = _Requests()
    rows = db.session.scalars(select(MeetingRequest).where(
        MeetingRequest.event_id == event.id, MeetingRequest.status.in_(("accepted", "declined")))
        .order_by(MeetingRequest.id))
    for req in rows:
        orgs = frozenset((req.from_org_id, req.to_org_id))
        if req.status == "declined":
            out.declined.add(orgs)
            continue
        company = req.company_org_id
        # The best candidate of the same two organizations lends its score and need; else a token score.
        same = [p for p in candidates.values() if p.orgs == orgs]
        best = max(same, key=lambda p: p.score, default=None)
        same_result = best is not None and len(best.payload) > 1 and best.payload[0] == req.result_id
        need_id = int(best.payload[1]) if best is not None and same_result else 0
        out.pairs[f"{REQUEST_PAIR}{req.id}"] = planning.Pair(
            f"{REQUEST_PAIR}{req.id}", req.result.org_id, company, best.score if best else _min_score(),
            (req.result_id, need_id, req.id))
    return out


def _locked(meeting: Meeting) -> bool:
    """Meetings with a recorded outcome or an intent survive every rebuild."""
    return meeting.outcome != "none" or db.session.scalar(
        select(Intent.id).where(Intent.meeting_id == meeting.id)) is not None


def build_agenda(event_id: int, keep_existing: bool, actor: User | None) -> AgendaSummary:
    """(Re)build the agenda, maximizing the sum of scores.

    keep_existing: every current meeting stays where it is (hand moves included) and free seats are filled.
    Otherwise the agenda is planned again from scratch, except meetings with an outcome or an intent.
    Accepted 约见 requests are required pairs (placed before the rest is optimized, or a clear error); the two
    organizations of a declined one are never scheduled together.
    """
    user = require_staff(actor)
    event = _planned(get_event(event_id, user))
    candidates = {p.pair_id: p for p in candidate_pairs(event)}
    requests = _request_pairs(event, candidates)
    agreed = {p.orgs for p in requests.pairs.values()}
    # An agreed meeting replaces the index's candidates for the same two organizations.
    candidates = {pid: p for pid, p in candidates.items() if p.orgs not in agreed}
    candidates.update(requests.pairs)
    pinned: list[planning.Meeting] = []
    dropped: list[Meeting] = []
    for m in list(event.meetings):
        pid = _pair_id(m.result_id, m.need_id, m.company_id)
        if m.request_id is not None and f"{REQUEST_PAIR}{m.request_id}" in candidates:
            pid = f"{REQUEST_PAIR}{m.request_id}"
        fits = m.slot < event.slot_count and m.table_no <= event.table_count
        if (keep_existing or _locked(m)) and fits and pid not in {p.pair.pair_id for p in pinned}:
            pair = candidates.setdefault(pid, planning.Pair(pid, m.result.org_id, m.company_id, max(m.score, 1e-6),
                                                            (m.result_id, m.need_id or 0)))
            pinned.append(planning.Meeting(pair, m.slot, m.table_no - 1, pinned=True))
        elif _locked(m):
            raise Conflict(_l("已记录结果的洽谈（%(org)s）不在新的时段或桌数范围内，请先调整。", org=m.company.name))
        else:
            dropped.append(m)
    required = _required(requests, pinned, list(event.meetings))
    pinned_ids = {m.pair.pair_id for m in pinned}
    excluded = frozenset(pid for pid, p in candidates.items() if p.orgs in requests.declined and pid not in pinned_ids
                         and pid not in requests.pairs)
    try:
        problem = planning.AgendaProblem(tuple(candidates.values()), event.slot_count, event.table_count,
                                         event.meeting_cap, pinned=tuple(pinned), required=required,
                                         excluded=excluded)
        schedule = planning.build_agenda(problem, exact_time_limit=current_app.config.get("AGENDA_EXACT_SECONDS", 1.0))
    except planning.AgendaError as exc:
        if exc.code == "required_infeasible":
            raise Conflict(_l("已约定的 %(n)d 场洽谈无法全部排入日程（时段、桌数或上限不够，或与保留的洽谈冲突）；"
                              "请增加时段或桌数，或选择“重新生成”。", n=len(required)), code=exc.code) from exc
        raise Conflict(_l("现有日程中%(what)s，无法原样保留；请先调整这些洽谈，或选择“重新生成”。",
                          what=_clash(event)), code=exc.code) from exc
    for m in dropped:
        db.session.delete(m)
    placed = [m for m in schedule.meetings if not m.pinned]
    for m in placed:
        result_id, need_id, *request = m.pair.payload
        event.meetings.append(Meeting(result_id=int(result_id), need_id=int(need_id) or None, company_id=int(m.pair.b),
                                      slot=m.slot, table_no=m.table + 1, score=m.pair.score,
                                      request_id=int(request[0]) if request else None))
    invited = agenda_lists.invite_missing(event, (org for m in schedule.meetings for org in (m.pair.a, m.pair.b)))
    left_out = tuple(p for p in schedule.unscheduled if p.pair_id not in excluded)
    agreed_count = sum(1 for m in schedule.meetings if str(m.pair.pair_id).startswith(REQUEST_PAIR))
    summary = AgendaSummary(len(placed), len(pinned), len(left_out), round(schedule.total_score, 4),
                            agreed_count, agenda_lists.describe_unplaced(left_out), tuple(o.name for o in invited))
    audit.record(user, "build_agenda", event, {"meetings": {"before": len(pinned) + len(dropped),
                                                            "after": len(pinned) + len(placed)},
                                               "invited_org_ids": {"after": [o.id for o in invited]}},
                 note=f"{'keep' if keep_existing else 'discard'}; unscheduled {summary.unscheduled}")
    db.session.commit()
    return summary


def _required(requests: _Requests, pinned: list[planning.Meeting], meetings: list[Meeting]) -> tuple[str, ...]:
    """Accepted requests the builder must place: all but those whose two organizations already meet in a kept
    meeting (that meeting then keeps the request, so it shows as 已约定)."""
    kept = {m.pair.orgs: m for m in pinned}
    out = []
    for pid, pair in requests.pairs.items():
        holder = kept.get(pair.orgs)
        if holder is not None and holder.pair.pair_id != pid:
            for row in meetings:
                held = _pair_id(row.result_id, row.need_id, row.company_id) == holder.pair.pair_id
                if held and row.request_id is None:
                    row.request_id = int(pair.payload[2])
            continue
        out.append(pid)
    return tuple(out)


def _clash(event: Event) -> str:
    """Where the stored agenda double-books an organization or a table (hand-made or imported data)."""
    seen: dict[tuple[int, str, int], Meeting] = {}
    for m in event.meetings:
        for kind, key in (("org", m.result.org_id), ("org", m.company_id), ("table", m.table_no)):
            other = seen.setdefault((m.slot, kind, key), m)
            if other is not m:
                time = slot_time(event, m.slot).strftime("%H:%M")
                who = m.company.name if key == m.company_id else m.result.org.name
                return (str(_l("第 %(t)d 桌在 %(time)s 安排了两场洽谈", t=key, time=time)) if kind == "table"
                        else str(_l("%(org)s 在 %(time)s 同时有两场洽谈", org=who, time=time)))
    return str(_l("有洽谈超出每个单位的场数上限"))


def _planned(event: Event) -> Event:
    if not agenda_open(event):
        raise Conflict(_l("只有筹备中的活动可以调整日程。"), code="bad_status")
    return event


def get_meeting(meeting_id: int, actor: User | None) -> Meeting:
    require_staff(actor)
    return get_or_not_found(Meeting, meeting_id, _l("找不到该洽谈。"))


def _as_schedule(event: Event) -> tuple[planning.Schedule, dict[int, planning.Meeting]]:
    """The stored agenda as a planning Schedule (one pair per meeting), to validate hand edits."""
    meetings = list(event.meetings)
    per_org: dict[int, int] = {}
    for m in meetings:
        for org in (m.result.org_id, m.company_id):
            per_org[org] = per_org.get(org, 0) + 1
    pairs = {m.id: planning.Pair(m.id, m.result.org_id, m.company_id, max(m.score, 1e-6)) for m in meetings}
    problem = planning.AgendaProblem(
        tuple(pairs.values()), max([event.slot_count] + [m.slot + 1 for m in meetings]),
        max([event.table_count] + [m.table_no for m in meetings]), max([event.meeting_cap, *per_org.values()]))
    placed = {m.id: planning.Meeting(pairs[m.id], m.slot, m.table_no - 1) for m in meetings}
    return planning.Schedule(problem, tuple(placed.values()), ()), placed


def move_meeting(meeting_id: int, data: dict[str, Any], actor: User | None) -> Meeting:
    """Move a meeting to another slot and table; refuses double booking with a clear message."""
    user = require_staff(actor)
    meeting = get_meeting(meeting_id, user)
    event = _planned(meeting.event)
    errors = FieldErrors()
    slot = fields.integer(errors, data, "slot", low=0, high=event.slot_count - 1, required=True)
    table = fields.integer(errors, data, "table_no", low=1, high=event.table_count, required=True)
    errors.raise_if_any()
    assert slot is not None and table is not None
    schedule, placed = _as_schedule(event)
    try:
        planning.move_meeting(schedule, placed[meeting.id], slot, table - 1)
    except planning.AgendaError as exc:
        raise Conflict(_why_not(exc.code, event, meeting, slot, table), code=exc.code) from exc
    changes = audit.apply_changes(meeting, {"slot": slot, "table_no": table})
    if changes:
        audit.record(user, "move_meeting", meeting, changes)
    db.session.commit()
    return meeting


def _why_not(code: str, event: Event, meeting: Meeting, slot: int, table: int) -> Any:
    busy = [m for m in event.meetings if m.slot == slot and m.id != meeting.id]
    if code == "table_busy":
        return _l("第 %(t)d 桌在 %(time)s 已有洽谈。", t=table, time=slot_time(event, slot).strftime("%H:%M"))
    if code == "org_busy":
        mine = {meeting.result.org_id, meeting.company_id}
        names = [o.name for m in busy for o in (m.result.org, m.company) if o.id in mine]
        return _l("%(org)s 在 %(time)s 已有其他洽谈，同一单位不能同时出现在两处。",
                  org="、".join(dict.fromkeys(names)) or "—", time=slot_time(event, slot).strftime("%H:%M"))
    if code == "pair_already_scheduled":
        return _l("这两个单位之间已安排了另一场洽谈。")
    if code == "slot_full":
        return _l("该时段的桌位已满。")
    return _l("无法调整到该时段和桌号（%(code)s）。", code=code)


def remove_meeting(meeting_id: int, actor: User | None) -> Event:
    """Take a meeting off the agenda (not one an intent refers to)."""
    user = require_staff(actor)
    meeting = get_meeting(meeting_id, user)
    event = _planned(meeting.event)
    if db.session.scalar(select(Intent.id).where(Intent.meeting_id == meeting.id)) is not None:
        raise Conflict(_l("该洽谈已关联合作意向，不能删除。"))
    audit.record(user, "remove_meeting", meeting, {k: {"before": getattr(meeting, k)} for k in
                                                   ("result_id", "need_id", "company_id", "slot", "table_no")},
                 note=f"event {event.id}")
    db.session.delete(meeting)
    db.session.commit()
    return event


def accept_proposals(event_id: int, data: dict[str, Any], actor: User | None) -> tuple[int, int]:
    """Add the ticked proposals (or searched additions) to the event's lists, keeping their proposal scores."""
    return add_to_lists(event_id, data, actor, scores=proposal_scores(event_id, actor))
