# Copy to instance/config.py (`make run` does this with a random SECRET_KEY) and adjust.
# SECRET_KEY = "a long random string"
# SQLALCHEMY_DATABASE_URI = "postgresql+psycopg://matchmaker@127.0.0.1:5432/matchmaker"
# LOCAL_REGION_PREFIX = "3703"
