"""Test helpers shared by the whole suite (live reference server, API client)."""
