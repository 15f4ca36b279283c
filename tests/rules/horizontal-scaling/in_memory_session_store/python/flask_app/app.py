import os

import redis
from flask import Flask
from flask_session import Session

app = Flask(__name__)
# ruleid: SC-SCALE-001
app.config["SESSION_TYPE"] = "filesystem"
Session(app)


class ProductionConfig:
    # ok: SC-SCALE-001
    SESSION_TYPE = "redis"
    SESSION_REDIS = redis.from_url(os.environ.get("REDIS_URL", "redis://localhost:6379"))
