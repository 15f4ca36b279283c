"""Helpers of the Celery tasks: each task runs on its own event loop, so its engine pools nothing."""

from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine
from sqlalchemy.pool import NullPool

from indexer import config

_task_engine = None


def get_task_session_maker() -> async_sessionmaker:
    global _task_engine
    if _task_engine is None:
        # only the tasks use it: a connection per task, as many as the workers run
        # ruleid: SC-DB-001 low
        _task_engine = create_async_engine(config.DATABASE_URL, poolclass=NullPool)
    return async_sessionmaker(_task_engine, expire_on_commit=False)
