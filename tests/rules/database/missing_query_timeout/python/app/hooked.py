from sqlalchemy import create_engine, event

# ok: SC-DB-002
reporting = create_engine("postgresql+psycopg://app@db/reports", pool_size=2)


@event.listens_for(reporting, "connect")
def _set_timeout(dbapi_connection, connection_record):
    with dbapi_connection.cursor() as cur:
        cur.execute("SET statement_timeout = '30s'")
