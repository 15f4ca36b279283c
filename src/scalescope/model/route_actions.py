"""GET routes that are actions by protocol, not reads, told from the route path.

Some requests are GETs because the protocol that sends them allows nothing else, and their
purpose is a write:

- an OAuth/OIDC redirect callback: the provider sends the browser back to the redirect URI with
  a GET carrying ``code`` (RFC 6749 §4.1.2), and the handler stores the tokens or the session;
- a link followed from an email (verify or confirm an address, unsubscribe, a magic-link
  login, accept an invitation): a link can only be a GET;
- a webhook or postback receiver a third party calls with GET to report an event;
- a token refresh, a logout link, a scheduled-job endpoint (cron services such as Vercel Cron
  call GET).

:func:`route_action` reads the path's literal segments (parameters such as ``:id``, ``{id}``,
``<int:pk>``, ``[slug]`` skipped), split into words (``oauth-callback``, ``verifyEmail``). A
protocol word anywhere (``/auth/github/callback``, ``/callback/:provider``, ``/api/cron/...``,
``postback``) or an action word in the last literal segment (``/stripe/webhook``,
``/email/verify``, ``/unsubscribe/:token``, ``/auth/refresh``) is *sure*; an action word earlier
in the path (``/auth/verify/admin``) or a word that may name a page about the action
(``/orders/:id/confirmation``, ``/oauth/applications``) is only *likely*. A plural noun names a
collection of such things unless a literal follows it (``/webhooks`` and
``/webhooks/:id/deliveries`` list webhook settings; ``/webhooks/stripe`` receives Stripe's
events).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: why each kind of route is an action
REASONS = {
    "oauth": (
        "an OAuth/OIDC redirect callback: the provider sends the browser back with a GET carrying "
        "the authorization code (RFC 6749 §4.1.2), and storing the tokens or the session is its job"
    ),
    "email-link": (
        "a link followed from an email (verify, confirm, unsubscribe, magic-link login, accept an "
        "invitation): a link can only be a GET, and the write is what it is for"
    ),
    "webhook": (
        "a webhook or postback receiver: a third party calls it with GET to report an event, and "
        "recording the event is its job"
    ),
    "refresh": (
        "a refresh endpoint (a token refresh, a re-fetch of a feed or an integration): issuing the "
        "new token or storing what was fetched is a write by design"
    ),
    "logout": "a logout link: ending the session is a write by design",
    "cron": (
        "a scheduled-job endpoint (cron services such as Vercel Cron call it with GET): it runs a "
        "job, it is not read traffic"
    ),
}

#: words that name a protocol endpoint wherever they stand in the path
_PROTOCOL_WORDS = {
    "callback": "oauth",
    "postback": "webhook",
    "cron": "cron",
    "cronjob": "cron",
}
#: plural nouns: a namespace of receivers when a literal follows (``/webhooks/stripe``), else a
#: collection of settings (``/webhooks``, ``/webhooks/:id``)
_PLURALS = {
    "callbacks": "oauth",
    "webhooks": "webhook",
    "hooks": "webhook",
    "postbacks": "webhook",
    "crons": "cron",
    "cronjobs": "cron",
}
#: words naming the action: sure in the last literal segment (``/stripe/webhook``,
#: ``/email/verify``), likely earlier (``/auth/verify/admin``, ``/webhook/settings``)
_ACTIONS = {
    "webhook": "webhook",
    "verify": "email-link",
    "confirm": "email-link",
    "unsubscribe": "email-link",
    "activate": "email-link",
    "magiclink": "email-link",
    "accept": "email-link",
    "refresh": "refresh",
    "logout": "logout",
    "signout": "logout",
}
#: words that may name the action or a page about it (``/orders/:id/confirmation``,
#: ``/oauth/applications``, ``/.well-known/openid-configuration``): likely only
_MAYBE = {
    "oauth": "oauth",
    "oauth2": "oauth",
    "oidc": "oauth",
    "openid": "oauth",
    "sso": "oauth",
    "verification": "email-link",
    "confirmation": "email-link",
    "activation": "email-link",
    "magic": "email-link",
}

_LITERAL = re.compile(r"[A-Za-z0-9_.\-~]+")
_WORD = re.compile(r"[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])")


@dataclass(frozen=True, slots=True)
class RouteAction:
    """What a route is by its path: ``kind`` (a key of :data:`REASONS`), ``reason`` (a
    sentence), ``sure``: the path says so unambiguously."""

    kind: str
    reason: str
    sure: bool


def route_action(path: str) -> RouteAction | None:
    """The action a GET route's path names, else ``None`` (see the module docstring)."""
    segments = [s for s in path.strip("/").split("/") if s]
    literal = [bool(_LITERAL.fullmatch(s)) and not s.startswith(("_", "~")) for s in segments]
    last = max((i for i, lit in enumerate(literal) if lit), default=-1)
    likely: str | None = None
    for i, segment in enumerate(segments):
        if not literal[i]:
            continue
        followed = i + 1 < len(segments) and literal[i + 1]
        for word in _words(segment):
            if word in _PROTOCOL_WORDS:
                return _action(_PROTOCOL_WORDS[word], sure=True)
            if word in _PLURALS and followed:
                return _action(_PLURALS[word], sure=True)
            if word in _ACTIONS and i == last:
                return _action(_ACTIONS[word], sure=True)
            kind = _ACTIONS.get(word) or _MAYBE.get(word)
            likely = likely or kind
    return _action(likely, sure=False) if likely else None


def _action(kind: str, *, sure: bool) -> RouteAction:
    return RouteAction(kind, REASONS[kind], sure)


def _words(segment: str) -> list[str]:
    """``oauth-callback`` -> oauth, callback; ``verifyEmail`` -> verify, email; the joined
    segment too (``magic-link`` -> magiclink, ``sign_out`` -> signout)."""
    words = [w.lower() for w in _WORD.findall(segment)]
    joined = "".join(words)
    return [*words, joined] if len(words) > 1 else words
