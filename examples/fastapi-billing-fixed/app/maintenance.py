"""Housekeeping run daily by cron (`python -m app.maintenance`)."""

from datetime import datetime, timedelta

from sqlalchemy import delete

from app.db import SessionLocal
from app.models import RequestLog

KEEP_DAYS = 30


def purge_request_logs() -> None:
    """Request logs are kept 30 days: delete older rows by the indexed created_at."""
    cutoff = datetime.utcnow() - timedelta(days=KEEP_DAYS)
    with SessionLocal() as db:
        db.execute(delete(RequestLog).where(RequestLog.created_at < cutoff))
        db.commit()


if __name__ == "__main__":
    purge_request_logs()
