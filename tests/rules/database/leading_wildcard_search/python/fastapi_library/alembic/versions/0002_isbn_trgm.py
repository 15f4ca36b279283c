"""isbn trigram index"""
from alembic import op

revision = "0002"
down_revision = "0001"


def upgrade():
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    op.create_index("ix_books_isbn_trgm", "books", ["isbn"], postgresql_using="gin", postgresql_ops={"isbn": "gin_trgm_ops"})


def downgrade():
    op.drop_index("ix_books_isbn_trgm", table_name="books")
