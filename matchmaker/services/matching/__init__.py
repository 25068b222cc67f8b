"""The match index, suggestions, duplicates and feedback: the adapter between the database and the engine."""
