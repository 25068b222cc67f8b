"""Operations tests share the page tests' per-request hygiene (no cached user between requests)."""
from tests.web.conftest import _catalogs, _fresh_request_state

__all__ = ["_catalogs", "_fresh_request_state"]
