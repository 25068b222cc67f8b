"""Events (对接活动), their lists and the 1:1 agenda."""
