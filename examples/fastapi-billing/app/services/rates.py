import requests

from app.config import settings

# Exchange rates, fetched once per currency and kept for the life of the process.
_rates: dict[str, float] = {}


def rate_for(currency: str) -> float:
    if currency in _rates:
        return _rates[currency]
    response = requests.get(settings.rates_url, params={"base": currency}, timeout=5)
    response.raise_for_status()
    _rates[currency] = float(response.json()["rates"]["EUR"])
    return _rates[currency]
