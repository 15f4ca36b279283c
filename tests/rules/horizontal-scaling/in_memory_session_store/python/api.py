from uuid import UUID

from fastapi import FastAPI
from fastapi_sessions.backends.implementations import InMemoryBackend
from pydantic import BaseModel
from starlette.middleware.sessions import SessionMiddleware


class SessionData(BaseModel):
    username: str


app = FastAPI()
# signed-cookie sessions keep nothing on the server
# ok: SC-SCALE-001
app.add_middleware(SessionMiddleware, secret_key="k")

# ruleid: SC-SCALE-001
backend = InMemoryBackend[UUID, SessionData]()
