"""A participant's own schedule at an event: its meetings with time and table, the QR of its check-in code,
and the .ics file (written here per RFC 5545: CRLF lines folded at 75 octets, escaped text, UTC times)."""
from __future__ import annotations

import base64
import io
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import segno
from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from matchmaker.extensions import db
from matchmaker.models import Event, Meeting, Result
from matchmaker.services import fields


@dataclass(frozen=True)
class ScheduledMeeting:
    meeting: Meeting
    starts_at: datetime
    ends_at: datetime
    table_no: int
    other_party: str
    topic: str


def slot_start(event: Event, slot: int) -> datetime:
    return event.starts_at + timedelta(minutes=event.slot_minutes * slot)


def meetings_of(event: Event, org_id: int) -> list[ScheduledMeeting]:
    """The organization's meetings at the event (as the company or as the result's organization), by time."""
    rows = db.session.scalars(
        select(Meeting).join(Result, Result.id == Meeting.result_id)
        .where(Meeting.event_id == event.id, or_(Meeting.company_id == org_id, Result.org_id == org_id))
        .options(selectinload(Meeting.result).selectinload(Result.org), selectinload(Meeting.company))
        .order_by(Meeting.slot, Meeting.table_no))
    out = []
    for m in rows:
        start = slot_start(event, m.slot)
        other = m.result.org.name if m.company_id == org_id else m.company.name
        out.append(ScheduledMeeting(m, start, start + timedelta(minutes=event.slot_minutes), m.table_no, other,
                                    m.result.title))
    return out


def event_end(event: Event) -> datetime:
    return slot_start(event, max(event.slot_count, 1))


# ---- QR ----------------------------------------------------------------------------------------------------

def qr_svg(code: str) -> str:
    """The check-in code as an inline SVG QR code (made here, no outside service)."""
    out = io.BytesIO()
    segno.make(code, error="m").save(out, kind="svg", scale=6, border=2, xmldecl=False, svgns=True,
                                     title="QR", svgclass="qr-code", lineclass=None)
    return out.getvalue().decode("utf-8")


def qr_png_data_uri(code: str) -> str:
    """The same QR as a PNG data: URI (for e-mail, where inline SVG is not shown)."""
    out = io.BytesIO()
    segno.make(code, error="m").save(out, kind="png", scale=6, border=2)
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode("ascii")


def show_code(code: str | None) -> str:
    """ABCDE-FGHJK: grouped for reading aloud and typing."""
    if not code:
        return ""
    return "-".join(code[i:i + 5] for i in range(0, len(code), 5))


def normalize_code(raw: str) -> str:
    """What a person typed or a scanner read, as stored: upper case, no dashes or spaces."""
    return "".join(ch for ch in str(raw or "").upper() if ch.isalnum())[:32]


# ---- .ics --------------------------------------------------------------------------------------------------

def _escape(value: str) -> str:
    return (value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n"))


def _fold(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after CRLF + space, never inside a character."""
    out, current, size = [], "", 0
    for ch in line:
        width = len(ch.encode("utf-8"))
        if size + width > 75:
            out.append(current)
            current, size = " ", 1
        current += ch
        size += width
    out.append(current)
    return "\r\n".join(out)


def _utc(local: datetime) -> str:
    aware = local.replace(tzinfo=fields.local_tz())
    return aware.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def schedule_ics(event: Event, org_id: int, meetings: list[ScheduledMeeting]) -> str:
    """A VCALENDAR with the event itself and one VEVENT per meeting."""
    host = current_app.config["BASE_URL"].split("//")[-1].split("/")[0] or "matchmaker"
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Zibo Science and Technology Bureau//matchmaker//ZH",
             "CALSCALE:GREGORIAN", "METHOD:PUBLISH"]

    def vevent(uid: str, start: datetime, end: datetime, summary: str, location: str, description: str) -> None:
        lines.extend(["BEGIN:VEVENT", f"UID:{uid}@{host}", f"DTSTAMP:{stamp}", f"DTSTART:{_utc(start)}",
                      f"DTEND:{_utc(end)}", f"SUMMARY:{_escape(summary)}"])
        if location:
            lines.append(f"LOCATION:{_escape(location)}")
        if description:
            lines.append(f"DESCRIPTION:{_escape(description)}")
        lines.append("END:VEVENT")

    vevent(f"event-{event.id}-org-{org_id}", event.starts_at, event_end(event), event.name, event.venue,
           event.description[:1000])
    for m in meetings:
        vevent(f"meeting-{m.meeting.id}", m.starts_at, m.ends_at, f"{event.name}: {m.other_party}",
               " · ".join(filter(None, [event.venue, str(_l("第 %(n)d 桌", n=m.table_no))])), m.topic)
    lines.append("END:VCALENDAR")
    return "".join(_fold(line) + "\r\n" for line in lines)
