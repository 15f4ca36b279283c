"""Caching rules: missing or in-process caches, unsafe invalidation, keys without expiry,
stampedes, unbounded Redis servers and cache keys that leak data across users."""
