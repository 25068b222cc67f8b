"""The search fixtures (shared with the page and API tests)."""
from tests import search_support

chain_of, library, statements = search_support.chain_of, search_support.library, search_support.statements
