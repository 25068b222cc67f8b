"""约见 pages: asking an event's participants for a 1:1 meeting, the inbox, and outcomes after the event."""
