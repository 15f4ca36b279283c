"""indexes and unique invoice numbers

Revision ID: 9d8e7f6a5b4c
Revises: 5c1e2f3a4b6d
"""

from alembic import op

revision = "9d8e7f6a5b4c"
down_revision = "5c1e2f3a4b6d"


def upgrade() -> None:
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    op.create_index(
        "ix_customers_name_trgm",
        "customers",
        ["name"],
        postgresql_using="gin",
        postgresql_ops={"name": "gin_trgm_ops"},
    )
    op.create_unique_constraint("uq_invoices_number", "invoices", ["number"])
    op.create_index(op.f("ix_customers_country"), "customers", ["country"], unique=False)
    op.create_index(op.f("ix_invoices_customer_id"), "invoices", ["customer_id"], unique=False)
    op.create_index(op.f("ix_invoices_status"), "invoices", ["status"], unique=False)
    op.create_index(op.f("ix_invoice_lines_invoice_id"), "invoice_lines", ["invoice_id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_customers_name_trgm", table_name="customers")
    op.drop_index(op.f("ix_invoice_lines_invoice_id"), table_name="invoice_lines")
    op.drop_index(op.f("ix_invoices_status"), table_name="invoices")
    op.drop_index(op.f("ix_invoices_customer_id"), table_name="invoices")
    op.drop_index(op.f("ix_customers_country"), table_name="customers")
    op.drop_constraint("uq_invoices_number", "invoices", type_="unique")
