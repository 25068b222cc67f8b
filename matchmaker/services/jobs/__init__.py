"""Background jobs: a database record per job, run inline, in a thread, or by an RQ worker on Redis."""
