"""SC-DB-015's name matching: table names normalised across ORMs, words of a table name, and
the per-event route vocabulary matched on path words."""

from __future__ import annotations

from scalescope.scan.rules.database._retention import norm, per_event_path, words


def test_norm_matches_model_table_and_plural() -> None:
    assert norm("AuditLog") == norm("audit_logs") == norm('"public"."audit_log"') == "auditlog"
    assert norm("Session") == norm("sessions")
    assert norm("bus") == "bus"  # short names keep their s


def test_words_split_camel_snake_and_join_neighbours() -> None:
    assert {"page", "views", "pageviews"} <= words("page_views")
    assert {"audit", "log", "auditlog"} <= words("AuditLog")
    assert "log" not in words("catalog") and "log" not in words("Blog")


def test_per_event_path_words() -> None:
    for path in ("/api/v1/track", "/auth/login", "/webhooks/stripe", "/pageViews", "/search/"):
        assert per_event_path(path), path
    assert not per_event_path("/orders/:id") and not per_event_path("/workspaces/:id/rename")
