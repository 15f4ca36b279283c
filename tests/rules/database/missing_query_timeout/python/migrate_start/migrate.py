from alembic import command
from alembic.config import Config
from sqlalchemy.ext.asyncio import AsyncEngine


def run_migrations(engine: AsyncEngine) -> None:
    config = Config("alembic.ini")
    config.attributes["engine"] = engine
    command.upgrade(config, "head")
