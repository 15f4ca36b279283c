# Two engines in one module; a DAO runs `SET LOCAL statement_timeout` (a constant defined in
# another module) on the tracing engine's sessions only (issue 8, item 8).
import os

from sqlalchemy.ext.asyncio import create_async_engine


class CoreEngine:
    def __init__(self) -> None:
        # ruleid: SC-DB-002
        self.engine = create_async_engine(os.environ["CORE_DATABASE_URL"], pool_size=10)


class TracingEngine:
    def __init__(self) -> None:
        # ruleid: SC-DB-002 low
        self.engine = create_async_engine(os.environ["TRACING_DATABASE_URL"], pool_size=10)
