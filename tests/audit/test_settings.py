"""Audit settings that cannot work are usage errors with a sentence, before anything starts."""

from __future__ import annotations

import pytest

from scalescope.audit.settings import SettingsError, load_settings


def test_instances_command_needs_the_count() -> None:
    with pytest.raises(SettingsError, match=r"must contain \{n\}"):
        load_settings(None, {"instances-cmd": "gunicorn app:app --bind :{port}"})
    assert load_settings(None, {"instances-cmd": "gunicorn -w {n} app:app"}).instances_cmd
