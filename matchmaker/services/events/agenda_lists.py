"""What building an agenda does to the event's lists and how it reports: every organization with a meeting is
on the invitation list (so it appears at 签到 check-in), and the candidates left out are named."""
from __future__ import annotations

from collections.abc import Iterable

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from matchmaker import planning
from matchmaker.extensions import db
from matchmaker.models import Event, Invitation, Need, Organization, Result
from matchmaker.services.events import invitations

NAMED = 10
"""How many unplaced candidates the summary names (the rest are counted)."""


def invite_missing(event: Event, org_ids: Iterable[int]) -> list[Organization]:
    """Put the organizations of the agenda's meetings that are not yet invited on the invitation list (the
    caller audits and commits). A meeting is an invitation: the result's owner comes to the table too."""
    have = {i.org_id for i in event.invitations}
    wanted = sorted(set(org_ids) - have)
    if not wanted:
        return []
    orgs = list(db.session.scalars(select(Organization).where(Organization.id.in_(wanted)).order_by(Organization.id)))
    for org in orgs:
        event.invitations.append(Invitation(org_id=org.id, status="invited"))
    invitations.announce(event, orgs)
    return orgs


def describe_unplaced(pairs: Iterable[planning.Pair]) -> tuple[str, ...]:
    """'成果单位 × 企业（成果 / 需求）' for each candidate left out, in input order."""
    out = []
    for pair in pairs:
        result_id, need_id = pair.payload[:2] if len(pair.payload) >= 2 else (pair.payload[0], 0)
        result = db.session.get(Result, int(result_id))
        need = db.session.get(Need, int(need_id)) if need_id else None
        company = db.session.get(Organization, int(pair.b))
        out.append(str(_l("%(a)s × %(b)s（%(r)s / %(n)s）", a=result.org.name if result else "—",
                          b=company.name if company else "—", r=result.title if result else "—",
                          n=need.title if need else "—")))
    return tuple(out)


def summary_names(names: tuple[str, ...]) -> str:
    """The first NAMED names joined for a flash message, with '等 N 个' when there are more."""
    shown = "；".join(names[:NAMED])
    return shown + (str(_l("等 %(n)d 个", n=len(names))) if len(names) > NAMED else "")
