"""Gyrfalcon: one console for what the business built on top of many microservices."""

__version__ = "0.1.0"
