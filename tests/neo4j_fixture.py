"""Pytest fixtures for a real Neo4j 5.26 server, started once per test session.

Register in tests/conftest.py with ``pytest_plugins = ["tests.neo4j_fixture"]``.

The server runs from a temporary instance home (conf, data, logs, password, state) but from the
user's jar cache (``$KG_NEO4J_CACHE`` or ``~/.local/share/kg``), so only the very first run on a
machine downloads Neo4j (~120 MB through Maven).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from kg.neo4j.server import ConnectionInfo, Neo4jServer, default_cache_dir, open_driver

_ENV = ("NEO4J_URI", "NEO4J_USER", "NEO4J_PASSWORD", "KG_NEO4J_HOME")


@pytest.fixture(scope="session")
def neo4j_instance(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Neo4jServer]:
    """The started :class:`Neo4jServer` (generated password, free port), stopped at session end."""
    server = Neo4jServer(tmp_path_factory.mktemp("neo4j-home"), cache_dir=default_cache_dir())
    try:
        with pytest.MonkeyPatch.context() as mp:
            for name in _ENV:  # the test server never takes a developer's own Neo4j settings
                mp.delenv(name, raising=False)
            server.start()
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def neo4j_server(neo4j_instance: Neo4jServer) -> ConnectionInfo:
    """How to connect to the session's Neo4j server."""
    info = neo4j_instance.connection_info()
    assert info is not None
    # connection_info() prefers NEO4J_PASSWORD; the test server always has its generated one.
    return ConnectionInfo(info.uri, info.user, neo4j_instance.read_password() or info.password)


@pytest.fixture
def neo4j_driver(neo4j_server: ConnectionInfo):
    """A connected driver on an emptied ``neo4j`` database (all nodes and relationships deleted)."""
    driver = open_driver(neo4j_server)
    try:
        driver.execute_query("MATCH (n) DETACH DELETE n")  # test graphs are small
        yield driver
    finally:
        driver.close()
