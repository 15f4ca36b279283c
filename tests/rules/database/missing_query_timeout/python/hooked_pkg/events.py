from sqlalchemy import event

from .engines import engine


@event.listens_for(engine, "connect")
def _on_connect(dbapi_connection, connection_record):
    cursor = dbapi_connection.cursor()
    cursor.execute("SET statement_timeout = 5000")
    cursor.close()
