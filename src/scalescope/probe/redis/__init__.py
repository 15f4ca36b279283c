"""The Redis probe: INFO, CONFIG GET, SLOWLOG and a bounded key sample, and checks over them."""
