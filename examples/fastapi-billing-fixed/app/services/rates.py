import requests

from app.config import settings
from app.services.cache import cached


def _fetch_rate(currency: str) -> float:
    response = requests.get(settings.rates_url, params={"base": currency}, timeout=5)
    response.raise_for_status()
    return float(response.json()["rates"]["EUR"])


def rate_for(currency: str) -> float:
    # Shared across workers and replicas, refreshed hourly.
    return float(cached(f"rate:{currency}", 3600, lambda: _fetch_rate(currency)))
