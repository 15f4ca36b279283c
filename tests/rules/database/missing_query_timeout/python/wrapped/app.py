from fastapi import FastAPI

from .engine import create_async_engine
from .settings import settings

app = FastAPI()

# the project's own wrapper of the same name, not SQLAlchemy's
# ok: SC-DB-002
engine = create_async_engine(settings.dsn, pool_size=settings.pool_size, command_timeout=settings.command_timeout)
