"""Static scan: discover -> parse -> facts -> rules -> report."""
