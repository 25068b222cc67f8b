"""Use cases: plain data in, permission and rule checks, one transaction with its audit entry."""
