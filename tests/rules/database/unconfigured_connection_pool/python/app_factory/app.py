import os

import sqlalchemy as sa
from flask import Flask


def create_app():
    """The application factory: runs once per process, so the engines it builds per read
    replica are built once, not per request."""
    app = Flask(__name__)

    def replicas(names):
        urls = names.split(",")
        # ruleid: SC-DB-001 low
        return [sa.create_engine(u.strip(), pool_size=10, max_overflow=5, pool_timeout=30) for u in urls if u]

    app.config["REPLICAS"] = replicas(os.environ.get("REPLICA_URLS", ""))
    return app


def nightly_copy(tenants):
    for tenant in tenants:
        # a job that builds (and never disposes of) an engine per tenant on every run
        # ruleid: SC-DB-001
        engine = sa.create_engine(tenant.url, pool_size=5, max_overflow=0, pool_timeout=30)
        engine.connect().execute(sa.text("SELECT 1"))
