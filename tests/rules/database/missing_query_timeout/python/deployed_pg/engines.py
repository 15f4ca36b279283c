import os

from sqlalchemy import create_engine

# the code leaves the URL to the environment; the deployment's value is a PostgreSQL URL
# ruleid: SC-DB-002
reports = create_engine(os.environ["REPORTS_DATABASE_URL"], pool_size=5, max_overflow=5)


def monthly_totals() -> list[tuple[str, int]]:
    with reports.connect() as conn:
        return [tuple(row) for row in conn.exec_driver_sql("SELECT month, total FROM monthly_totals")]

# a SQLite URL wherever it is set: no statement timeout to set
# ok: SC-DB-002
local_cache = create_engine(os.environ["LOCAL_CACHE_URL"])


def check_connection(url: str) -> bool:
    # a connection to the database the caller passes (a setup wizard's check)
    # ruleid: SC-DB-002 low
    engine = create_engine(url, pool_size=1)
    with engine.connect():
        pass
    engine.dispose()
    return True


_REPORTS = None


def reconnect_reports():  # type: ignore[no-untyped-def]
    global _REPORTS
    if _REPORTS is not None:
        _REPORTS.dispose()  # the previous engine: the one built below is the shared pool
    # ruleid: SC-DB-002
    _REPORTS = create_engine(os.environ["REPORTS_DATABASE_URL"], pool_size=5, max_overflow=5)
    return _REPORTS


def write_frame(accessor, frame, table):  # type: ignore[no-untyped-def]
    # an engine over a connection another client opened (``creator=``): it opens none of its
    # own, and the timeout is that client's, set where it connects
    with accessor.connect() as connection:
        # ruleid: SC-DB-002 low
        engine = create_engine(os.environ["REPORTS_DATABASE_URL"], creator=lambda: connection.getConnection())
        frame.to_sql(name=table, con=engine, if_exists="append", index=False)
