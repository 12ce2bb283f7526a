"""The reference (training/test) sync server: FastAPI app, SQLAlchemy store, demo data loader."""

from typing import Any

from sync.server.config import ManualClock, ServerConfig, SystemClock

__all__ = ["ServerConfig", "ManualClock", "SystemClock", "create_app", "Store", "load_dataset"]


def __getattr__(name: str) -> Any:
    # Lazy so that `import sync.server` stays cheap (the CLI parser imports it).
    if name == "create_app":
        from sync.server.app import create_app
        return create_app
    if name == "Store":
        from sync.server.store import Store
        return Store
    if name == "load_dataset":
        from sync.server.dataset import load_dataset
        return load_dataset
    raise AttributeError(name)
