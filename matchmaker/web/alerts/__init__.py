"""我的订阅: match-alert subscriptions, the digest frequency, the e-mail unsubscribe link and the staff figures."""
