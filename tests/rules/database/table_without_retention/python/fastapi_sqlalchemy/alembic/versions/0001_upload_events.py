"""upload events, partitioned by month

Revision ID: 0001
Revises:
"""
from alembic import op

revision = "0001"
down_revision = None


def upgrade():
    op.execute(
        """
        CREATE TABLE upload_events (
            id bigserial,
            filename text NOT NULL,
            created_at timestamptz NOT NULL
        ) PARTITION BY RANGE (created_at)
        """
    )
