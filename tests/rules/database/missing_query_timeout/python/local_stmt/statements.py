from sqlalchemy import text

TIMEOUT_STMT = text("SET LOCAL statement_timeout = '15000'")
