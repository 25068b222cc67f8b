"""对接活动 pages for participants: the public events, registration, 我的活动, and the door's self check-in."""
