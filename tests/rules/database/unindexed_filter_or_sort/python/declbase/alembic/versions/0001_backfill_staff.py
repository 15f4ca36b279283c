"""A data migration works on a snapshot class of the table: it is not the schema (the model
declares email unique)."""

import sqlalchemy as sa
from sqlalchemy.orm import declarative_base

revision = "0001"
down_revision = None

Base = declarative_base()


class Staff(Base):
    __tablename__ = "staff"
    id = sa.Column(sa.Integer, primary_key=True)
    email = sa.Column(sa.String)


def upgrade() -> None:
    pass
