# Copy to instance/config.py (`make run` does this with a random SECRET_KEY) and adjust.
# SECRET_KEY = "a long random string"
# SQLALCHEMY_DATABASE_URI = "postgresql+psycopg://matchmaker@127.0.0.1:5432/matchmaker"
# LOCAL_REGION_PREFIX = "3703"
# BUREAU_CONTACT_NAME = "淄博市科学技术局成果转化科"   # shown beside masked contacts
# BUREAU_CONTACT_PHONE = "0533-0000000"
# CONTACT_AUTO_APPROVE = False                         # True: no staff review of 我要对接 requests
# CONTACT_EXPIRY_WORKING_DAYS = 10
# BASE_URL = "https://kjcg.example.gov.cn"
# MAIL_SERVER = "smtp.example.gov.cn"
# MAIL_PORT = 587
# MAIL_USE_TLS = True
# MAIL_USERNAME = "noreply@example.gov.cn"
# MAIL_PASSWORD = "..."
# MAIL_SENDER = "科技成果转化对接平台 <noreply@example.gov.cn>"
