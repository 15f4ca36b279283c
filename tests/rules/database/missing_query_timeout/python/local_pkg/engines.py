# A timeout set per transaction only (issue 8, item 8): low confidence, saying so.
from sqlalchemy import create_engine, text

# ruleid: SC-DB-002 (low: SET LOCAL in one transaction helper only)
reports = create_engine("postgresql+psycopg://app@db/reports", pool_size=2)


def run_report(sql):
    with reports.begin() as conn:
        conn.execute(text("SET LOCAL statement_timeout = '60s'"))
        return conn.execute(text(sql)).all()
