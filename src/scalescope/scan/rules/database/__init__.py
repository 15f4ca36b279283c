"""Database rules: connection pools, timeouts, query shape, indexes, transactions."""
