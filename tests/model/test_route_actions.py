"""GET routes that are actions by protocol, told from their path (``route_action``)."""

from __future__ import annotations

import pytest

from scalescope.model.route_actions import route_action


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        ("/auth/github/callback", "oauth"),
        ("/api/auth/callback/:provider", "oauth"),
        ("/api/auth/callback/[provider]", "oauth"),
        ("/stripe/webhook", "webhook"),
        ("/webhooks/appsflyer", "webhook"),
        ("/api/postback", "webhook"),
        ("/email/verify/{token}", "email-link"),
        ("/verifyEmail", "email-link"),
        ("/u/<int:pk>/confirm_email", "email-link"),
        ("/newsletter/unsubscribe/:token", "email-link"),
        ("/auth/magic-link", "email-link"),
        ("/invites/:token/accept", "email-link"),
        ("/auth/refresh", "refresh"),
        ("/auth/refresh-token", "refresh"),
        ("/logout", "logout"),
        ("/api/cron/domains/verify", "cron"),
    ],
)
def test_sure_actions(path: str, kind: str) -> None:
    action = route_action(path)
    assert action is not None and action.sure and action.kind == kind, action


@pytest.mark.parametrize(
    "path",
    [
        "/auth/verify/admin",  # a verb, not the last segment
        "/oauth/applications",  # OAuth, but maybe a settings page
        "/.well-known/openid-configuration",
        "/orders/:id/confirmation",  # a noun: maybe the page after an order
        "/webhook/settings",
    ],
)
def test_likely_actions(path: str) -> None:
    action = route_action(path)
    assert action is not None and not action.sure, action


@pytest.mark.parametrize(
    "path",
    [
        "/posts/:id",
        "/me",
        "/webhooks",  # a collection of webhook settings
        "/webhooks/:id",
        "/projects/:id/webhooks/:hookId/deliveries",
        "/api/crons",
        "/articles/{id}/views",
        "/",
    ],
)
def test_reads(path: str) -> None:
    assert route_action(path) is None
