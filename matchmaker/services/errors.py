"""Domain exceptions; views turn them into field errors or flashes, the API into JSON with a stable code."""
from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """A rule was broken; `code` is stable for API clients, `message` is for people."""

    status = 400
    code = "invalid"

    def __init__(self, message: Any, *, code: str | None = None, field: str | None = None) -> None:
        super().__init__(str(message))
        self.message = message
        if code:
            self.code = code
        self.field = field


class ValidationFailed(DomainError):
    """One or more fields are wrong; `errors` maps field name to messages."""

    status = 422
    code = "validation_failed"

    def __init__(self, errors: dict[str, list[Any]]) -> None:
        first = next(iter(errors.values()))[0] if errors else "invalid"
        super().__init__(first)
        self.errors = errors


class NotFound(DomainError):
    status = 404
    code = "not_found"


class PermissionDenied(DomainError):
    status = 403
    code = "forbidden"


class Conflict(DomainError):
    status = 409
    code = "conflict"


class AuthenticationFailed(DomainError):
    status = 401
    code = "authentication_failed"


class FieldErrors:
    """Collects field errors while cleaning data, then raises them all at once."""

    def __init__(self) -> None:
        self.errors: dict[str, list[Any]] = {}

    def add(self, field: str, message: Any) -> None:
        self.errors.setdefault(field, []).append(message)

    def raise_if_any(self) -> None:
        if self.errors:
            raise ValidationFailed(self.errors)
