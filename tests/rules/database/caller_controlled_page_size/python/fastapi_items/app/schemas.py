from pydantic import BaseModel, Field


class NotePage(BaseModel):
    cursor: int | None = None
    per_page: int = Field(20, ge=1, le=50)
