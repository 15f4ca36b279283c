from alembic import command
from alembic.config import Config
from sqlalchemy.engine import Engine


def run_migrations(engine: Engine) -> None:
    config = Config("alembic.ini")
    config.attributes["engine"] = engine
    command.upgrade(config, "head")
