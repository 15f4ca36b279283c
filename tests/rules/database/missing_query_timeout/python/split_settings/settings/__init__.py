"""Settings composed by django-split-settings: the base, then one environment's file."""

import os

from split_settings.tools import include, optional

components = ["core.py"]

if os.environ.get("ON_HEROKU"):
    components.append("heroku.py")
else:
    components.append("container.py")

include(*components, optional("local.py"))
