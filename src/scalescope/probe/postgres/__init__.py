"""The PostgreSQL probe: a read-only snapshot of one database, and checks over it."""
