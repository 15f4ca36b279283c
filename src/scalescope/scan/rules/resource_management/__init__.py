"""Resource-management rules: process memory, handles and timers that grow with traffic."""
