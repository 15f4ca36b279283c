import threading
from collections import deque

from flask import Flask, request

app = Flask(__name__)

# one entry per user agent, never pruned
SEEN_AGENTS = {}
# one entry per distinct user agent, forever
AGENTS = set()
# one record per webhook, forever
WEBHOOKS = []
# bounded by construction
# ok: SC-RES-001
RECENT = deque(maxlen=100)
# a constant lookup table
PLANS = {"free": 1, "pro": 2}
# a registry filled at import time
HANDLERS = {}
HANDLERS["ping"] = lambda: "pong"
# a dict with eviction
TOKENS = {}
# one timer per key
RESERVATIONS = {}


def _expire(key):
    print("expired", key)


@app.route("/track", methods=["POST"])
def track():
    agent = request.headers.get("User-Agent", "")
    # ruleid: SC-RES-001
    SEEN_AGENTS[agent] = SEEN_AGENTS.get(agent, 0) + 1
    # ok: SC-RES-001
    RECENT.append(agent)
    # ruleid: SC-RES-001
    AGENTS.add(agent)
    return {"plan": PLANS["free"]}


@app.route("/webhook", methods=["POST"])
def webhook():
    # ruleid: SC-RES-001
    WEBHOOKS.append(request.get_json())
    return "", 202


@app.route("/token/<token>", methods=["POST"])
def token(token):
    # ok: SC-RES-001
    TOKENS[token] = request.remote_addr
    if len(TOKENS) > 1000:
        TOKENS.clear()
    return HANDLERS["ping"]()


@app.route("/reserve/<item>", methods=["POST"])
def reserve(item):
    # ruleid: SC-RES-001
    RESERVATIONS[item] = request.remote_addr
    threading.Timer(300, _expire, args=[item]).start()
    return ""
