from sqlalchemy import Column, Integer, String
from sqlalchemy.orm import DeclarativeBase, declared_attr


class Base(DeclarativeBase):
    # every model's table is named after its class: models set no __tablename__
    @declared_attr.directive
    def __tablename__(cls) -> str:
        return cls.__name__.lower()


class Staff(Base):
    id = Column(Integer, primary_key=True)
    email = Column(String, unique=True)
    nickname = Column(String)
