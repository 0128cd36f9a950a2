"""The ``backend`` fixture of the db, core and cli suites: every test that opens a database
runs on SQLite and on PostgreSQL (tests/pg.py), with identical expectations.

A test about the SQLite file itself is marked ``@pytest.mark.sqlite_only("why")``.
"""

from __future__ import annotations

import pytest


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest) -> str:
    name: str = request.param
    if name == "postgresql":
        marker = request.node.get_closest_marker("sqlite_only")
        if marker is not None:
            reason = marker.args[0] if marker.args else "about the SQLite file"
            pytest.skip(f"SQLite only: {reason}")
        from tests import pg

        pg.server_url()
    return name
