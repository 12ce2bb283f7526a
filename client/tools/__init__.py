"""Small command-line tools over the domain (no Qt, no network)."""
