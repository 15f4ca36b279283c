"""create accounts

Revision ID: 3f2a9c1b7d4e
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "3f2a9c1b7d4e"
down_revision = None


def upgrade() -> None:
    op.create_table(
        "accounts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=255), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=True),
        sa.Column("region", sa.String(length=16), nullable=True),
        sa.Column("plan", sa.String(length=16), nullable=True),
        sa.Column("tenant", sa.String(length=32), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("email"),
    )
    op.create_index(op.f("ix_accounts_name"), "accounts", ["name"], unique=False)
    op.create_index(op.f("ix_accounts_plan"), "accounts", ["plan"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_accounts_plan"), table_name="accounts")
    op.drop_index(op.f("ix_accounts_name"), table_name="accounts")
    op.drop_table("accounts")
