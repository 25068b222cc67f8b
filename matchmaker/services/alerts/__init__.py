"""Match alerts and digests: subscriptions, reverse matching on publication, alert e-mail and digests."""
