# A timeout the code sets on every connection (issue 8, item 8): not missing.
from sqlalchemy import create_engine

# ok: SC-DB-002 (events.py sets statement_timeout on every new connection)
engine = create_engine("postgresql+psycopg://app@db/app", pool_size=10)
