"""In-app notifications: written in the transaction of the change that causes them; read, counted, marked read."""
