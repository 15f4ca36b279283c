from sqlalchemy import Column, DateTime, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import declarative_base

Base = declarative_base()


class Account(Base):
    __tablename__ = "accounts"

    # ok: SC-DB-016
    id = Column(Integer, primary_key=True)
    # ok: SC-DB-016
    email = Column(String(255), unique=True, nullable=False)
    # ok: SC-DB-016
    name = Column(String(120), index=True)
    # ok: SC-DB-016
    country = Column(String(2), index=True)
    # ruleid: SC-DB-016
    region = Column(String(16), index=True)
    # ruleid: SC-DB-016
    plan = Column(String(16), index=True)
    tenant = Column(String(32))
    created_at = Column(DateTime)

    __table_args__ = (
        # ruleid: SC-DB-016
        UniqueConstraint("tenant", "email", name="uq_accounts_tenant_email"),
    )


# ruleid: SC-DB-016
Index("ix_accounts_created_at", Account.created_at)
