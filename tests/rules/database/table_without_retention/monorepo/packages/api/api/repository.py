from sqlalchemy.ext.asyncio import AsyncSession


class AuditEventRepository:
    """A repository: inserts the instance it is given."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def create(self, obj):
        self.session.add(obj)
        await self.session.flush()
        return obj
