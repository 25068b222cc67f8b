"""E-mail: the outbox (queue_mail), SMTP delivery (send_due), the admin view and notification preferences."""
