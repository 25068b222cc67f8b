"""What every API blueprint shares: the /api/v1 prefix, bearer-token check and JSON errors."""
from __future__ import annotations

from typing import Any

from flask import current_app
from flask_smorest import Blueprint
from werkzeug.exceptions import HTTPException

from matchmaker.api.auth import check_request
from matchmaker.api.errors import domain_error, http_error
from matchmaker.services.errors import DomainError

PREFIX = "/api/v1"


def api_blueprint(name: str, import_name: str, url_prefix: str, description: str) -> Blueprint:
    """A flask-smorest blueprint whose errors are JSON and whose writes need a bearer token."""
    blp = Blueprint(name, import_name, url_prefix=PREFIX + url_prefix, description=description)
    blp.before_request(check_request)
    blp.register_error_handler(DomainError, domain_error)
    blp.register_error_handler(HTTPException, http_error)
    return blp


def per_page(args: dict[str, Any]) -> int:
    return int(args.get("per_page") or current_app.config["PAGE_SIZE"])
