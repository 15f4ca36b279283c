from pydantic import BaseModel, Field, conlist


class Line(BaseModel):
    sku: str
    qty: int


class OrderIn(BaseModel):
    note: str = Field(max_length=500)
    lines: list[Line] = Field(min_length=1, max_length=20)
    coupons: conlist(str, max_length=3) = []
    gifts: list[Line] = []
