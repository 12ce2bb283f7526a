"""Hecha (核查工作台): the client core. Everything under client/ runs without Qt."""

__version__ = "0.1.0"
APP_NAME = "hecha"
