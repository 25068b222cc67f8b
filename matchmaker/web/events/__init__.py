"""Events pages: importing this package registers every route on `bp`."""
from matchmaker.web.events import agenda_views, registration_views, views
from matchmaker.web.events.blueprint import bp

__all__ = ["agenda_views", "bp", "registration_views", "views"]
