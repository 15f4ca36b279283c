"""What both ecosystems' environment-guard extractors share: the names environments go by
(``NODE_ENV === 'dev'``, ``ENVIRONMENT == "production"``) and which one is the opposite of which."""

from __future__ import annotations

#: an environment's name as written -> the environment it means
ENV_VALUES: dict[str, str] = {
    "development": "development",
    "dev": "development",
    "local": "development",
    "production": "production",
    "prod": "production",
    "test": "test",
    "testing": "test",
}

#: the environment an else-branch (or a ``!==``) runs in
INVERT: dict[str, str] = {"development": "production", "production": "development"}


def env_of_value(value: str) -> str | None:
    """``"Production "`` -> ``"production"``; ``None`` for a value that names no environment."""
    return ENV_VALUES.get(value.strip().lower())
