"""Sync: the wire protocol, the client's sync engine and transport, and the reference server."""
