"""The audit: start the app, measure its capacity under an SLO, project it, report (see
``pipeline.py`` for the steps and docs/audit.md for the report)."""
