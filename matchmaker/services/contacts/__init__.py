"""我要对接: contact requests from a verified member to a published posting, consent-based reveal, expiry."""
