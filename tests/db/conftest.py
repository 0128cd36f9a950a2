"""Fixtures shared by the storage tests."""

from tests.backends import backend

__all__ = ["backend"]
