"""Horizontal-scaling rules: state kept in one process or on one machine that every instance
of the service needs (sessions)."""
