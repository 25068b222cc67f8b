"""The demo data set for `make run`."""
