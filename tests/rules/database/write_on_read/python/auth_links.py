"""GET routes that are actions by protocol: OAuth callbacks, links in emails, webhooks, cron."""

from fastapi import FastAPI
from sqlalchemy import func, update

from .db import SessionLocal
from .models import OAuthToken, Subscriber, User, Webhook, WebhookEvent

app = FastAPI()


@app.get("/auth/github/callback")
def github_callback(code: str, state: str):
    # the provider redirects the browser here with ?code=...: storing the token is the point
    with SessionLocal() as session:
        # ok: SC-DB-011
        session.add(OAuthToken(provider="github", code=code))
        session.commit()


@app.get("/email/verify/{token}")
def verify_email(token: str):
    with SessionLocal() as session:
        # ok: SC-DB-011
        session.execute(update(User).where(User.verify_token == token).values(email_verified=True))
        session.commit()


@app.get("/newsletter/unsubscribe/{token}")
def unsubscribe(token: str):
    with SessionLocal() as session:
        # ok: SC-DB-011
        session.execute(update(Subscriber).where(Subscriber.token == token).values(active=False))
        session.commit()


@app.get("/webhooks/appsflyer")
def appsflyer_postback(event: str):
    with SessionLocal() as session:
        # ok: SC-DB-011
        session.add(WebhookEvent(source="appsflyer", name=event))
        session.commit()


@app.get("/auth/verify/admin")
def verify_admin(user_id: int):
    # "verify" but not the last segment: maybe an action, maybe a check; low, with the reason
    with SessionLocal() as session:
        # ruleid: SC-DB-011 (low: the path suggests an email link)
        session.execute(update(User).where(User.id == user_id).values(is_admin=True))
        session.commit()


@app.get("/webhooks/{webhook_id}")
def webhook_settings(webhook_id: int):
    # a read of one webhook's settings (a collection, not a receiver): the stamp is a write per read
    with SessionLocal() as session:
        # ruleid: SC-DB-011
        session.execute(update(Webhook).where(Webhook.id == webhook_id).values(viewed_at=func.now()))
        return session.get(Webhook, webhook_id)
