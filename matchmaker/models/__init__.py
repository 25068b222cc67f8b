"""The domain model; importing this package registers every table."""
from matchmaker.models.alert import Alert, DigestSetting, Subscription
from matchmaker.models.audit import AuditEntry
from matchmaker.models.chain import Chain
from matchmaker.models.contact import ContactEvent, ContactRequest
from matchmaker.models.event import Event, EventResult, Invitation, Meeting
from matchmaker.models.goal import Goal
from matchmaker.models.intent import Intent, IntentNote
from matchmaker.models.job import Job
from matchmaker.models.mail import OutgoingMail
from matchmaker.models.matching import IndexChange, MatchFeedback, MatchStatState, NeedMatchStat, ResultDuplicatePair
from matchmaker.models.meeting_request import MeetingRequest
from matchmaker.models.membership import Membership
from matchmaker.models.need import Need
from matchmaker.models.notification import Notification
from matchmaker.models.organization import Organization
from matchmaker.models.result import Result
from matchmaker.models.transfer import Transfer
from matchmaker.models.user import ApiToken, LoginThrottle, User, UserSession

__all__ = [
    "Alert", "ApiToken", "AuditEntry", "Chain", "ContactEvent", "ContactRequest", "DigestSetting", "Event",
    "EventResult", "Goal",
    "IndexChange", "Intent", "IntentNote", "Invitation", "Job", "LoginThrottle", "MatchFeedback", "MatchStatState",
    "Meeting", "MeetingRequest", "Membership", "Need", "NeedMatchStat", "Notification", "Organization",
    "OutgoingMail", "Result", "ResultDuplicatePair", "Subscription", "Transfer", "User", "UserSession",
]
