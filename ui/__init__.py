"""The PySide6 desktop UI. The only layer that imports Qt."""
