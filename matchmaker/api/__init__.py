"""JSON API under /api/v1, described by OpenAPI 3 at /api/v1/openapi.json."""
from __future__ import annotations

from flask import Flask

from matchmaker.extensions import api


def register_api(app: Flask) -> None:
    """Bind flask-smorest and register the API blueprints (bearer tokens only, so no CSRF)."""
    api.init_app(app)
