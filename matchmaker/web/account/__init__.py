"""Account self-service pages: password change and reset, e-mail verification, notification preferences."""
