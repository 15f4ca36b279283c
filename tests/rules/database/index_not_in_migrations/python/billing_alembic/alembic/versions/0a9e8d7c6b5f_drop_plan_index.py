"""drop the plan index (its file name sorts first; the revision chain puts it last)

Revision ID: 0a9e8d7c6b5f
Revises: b71c2d3e4f5a
"""

from alembic import op

revision = "0a9e8d7c6b5f"
down_revision = "b71c2d3e4f5a"


def upgrade() -> None:
    op.drop_index("ix_accounts_plan", table_name="accounts")


def downgrade() -> None:
    op.create_index("ix_accounts_plan", "accounts", ["plan"], unique=False)
