"""add country

Revision ID: b71c2d3e4f5a
Revises: 3f2a9c1b7d4e
"""

import sqlalchemy as sa
from alembic import op

revision: str = "b71c2d3e4f5a"
down_revision: str | None = "3f2a9c1b7d4e"


def upgrade() -> None:
    with op.batch_alter_table("accounts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("country", sa.String(length=2), nullable=True))
        batch_op.create_index(batch_op.f("ix_accounts_country"), ["country"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("accounts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_accounts_country"))
        batch_op.drop_column("country")
