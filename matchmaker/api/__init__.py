"""JSON API under /api/v1, described by OpenAPI 3 at /api/v1/openapi.json (no Swagger UI: the app is offline)."""
from __future__ import annotations

from flask import Flask
from werkzeug.exceptions import HTTPException

from matchmaker.extensions import api, csrf


def register_api(app: Flask) -> None:
    """Bind flask-smorest and register the API blueprints (bearer tokens only, so no CSRF)."""
    from matchmaker.api.alerts import blp as subscriptions_blp
    from matchmaker.api.auth import BEARER_AUTH, SECURITY_SCHEME
    from matchmaker.api.contacts import blp as contacts_blp
    from matchmaker.api.contacts import notes_blp
    from matchmaker.api.deals import intents_blp, transfers_blp
    from matchmaker.api.errors import for_api_paths
    from matchmaker.api.events import blp as events_blp
    from matchmaker.api.events import meetings_blp
    from matchmaker.api.goals import blp as goals_blp
    from matchmaker.api.matching import chains_blp, match_blp
    from matchmaker.api.meeting_requests import blp as meeting_requests_blp
    from matchmaker.api.organizations import blp as organizations_blp
    from matchmaker.api.postings import needs_blp, results_blp, review_blp
    from matchmaker.api.registrations import blp as registrations_blp
    from matchmaker.api.registrations import event_registrations_blp, me_blp
    from matchmaker.api.schemas.common import ErrorSchema

    # flask-smorest replaces the app-wide HTTP error handler; keep the pages' one for everything outside /api/.
    page_handler = app.error_handler_spec[None][None].get(HTTPException)
    api.ERROR_SCHEMA = ErrorSchema  # documents our {"code", "message", "errors"} for every error response
    api.init_app(app)
    app.register_error_handler(HTTPException, for_api_paths(page_handler))
    api.spec.components.security_scheme(BEARER_AUTH, SECURITY_SCHEME)
    for blp in (results_blp, needs_blp, review_blp, organizations_blp, match_blp, chains_blp, events_blp,
                meetings_blp, intents_blp, transfers_blp, goals_blp, contacts_blp, notes_blp,
                subscriptions_blp, event_registrations_blp, registrations_blp, me_blp, meeting_requests_blp):
        csrf.exempt(blp)
        api.register_blueprint(blp)
