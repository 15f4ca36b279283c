"""Rules: one module per rule under ``rules/<category>/<rule_name>.py``.

A rule is a :class:`~scalescope.scan.rules.base.Rule` subclass with a ``meta`` and a ``check``;
the registry discovers rule modules itself, so adding a rule edits no central list.
"""
