"""The bundled Neo4j server, run for real: start, query, status, stop, passwords, missing Java."""

from __future__ import annotations

import os
import re
import shutil
import stat
from pathlib import Path

import pytest

from kg.errors import DependencyError, Neo4jError
from kg.neo4j.server import (
    ConnectionInfo,
    Neo4jServer,
    connection_from_env_or_server,
    default_cache_dir,
    open_driver,
    parse_java_major,
)

_ENV = ("NEO4J_URI", "NEO4J_USER", "NEO4J_PASSWORD", "KG_NEO4J_HOME")


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for name in _ENV:
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def _mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


# --------------------------------------------------------------------------- the session server


@pytest.mark.neo4j
def test_bolt_query_returns_1(neo4j_server: ConnectionInfo) -> None:
    assert re.fullmatch(r"bolt://127\.0\.0\.1:\d+", neo4j_server.uri)
    driver = open_driver(neo4j_server)
    try:
        records, _, _ = driver.execute_query("RETURN 1 AS x")
        assert records[0]["x"] == 1
        assert driver.get_server_info().agent.startswith("Neo4j/5.26.")
    finally:
        driver.close()


@pytest.mark.neo4j
def test_generated_password_is_private(neo4j_instance: Neo4jServer, neo4j_server: ConnectionInfo) -> None:
    assert _mode(neo4j_instance.password_file) == 0o600
    assert _mode(neo4j_instance.state_file) == 0o600
    assert neo4j_instance.password_file.read_text().strip() == neo4j_server.password
    assert len(neo4j_server.password) >= 8
    assert neo4j_server.password not in repr(neo4j_server)


@pytest.mark.neo4j
def test_status_and_idempotent_start(
    neo4j_instance: Neo4jServer, neo4j_server: ConnectionInfo, clean_env: pytest.MonkeyPatch
) -> None:
    status = neo4j_instance.status()
    assert status.running
    assert status.uri == neo4j_server.uri
    assert status.version is not None and status.version.startswith("5.26.")
    assert status.pid is not None and status.pid > 0
    again = neo4j_instance.start()  # already running: same server, no second JVM
    assert again == neo4j_server
    assert neo4j_instance.status().pid == status.pid


@pytest.mark.neo4j
def test_wrong_password_is_one_clear_error(neo4j_server: ConnectionInfo) -> None:
    wrong = ConnectionInfo(neo4j_server.uri, neo4j_server.user, "not-the-password")
    with pytest.raises(Neo4jError) as err:
        open_driver(wrong)
    assert str(err.value) == (
        f"authentication failed for neo4j at {neo4j_server.uri}: check --neo4j-password or NEO4J_PASSWORD"
    )


@pytest.mark.neo4j
def test_connection_precedence(
    neo4j_instance: Neo4jServer, neo4j_server: ConnectionInfo, clean_env: pytest.MonkeyPatch
) -> None:
    home = neo4j_instance.home
    # Nothing given: the bundled server's state file and password file.
    assert connection_from_env_or_server(home=home) == neo4j_server
    # Environment beats the state file.
    clean_env.setenv("NEO4J_URI", "bolt://db.example:7687")
    clean_env.setenv("NEO4J_USER", "alice")
    clean_env.setenv("NEO4J_PASSWORD", "env-secret")
    assert connection_from_env_or_server(home=home) == ConnectionInfo(
        "bolt://db.example:7687", "alice", "env-secret"
    )
    # Explicit arguments beat the environment.
    assert connection_from_env_or_server("bolt://other:1", "bob", "arg-secret", home=home) == ConnectionInfo(
        "bolt://other:1", "bob", "arg-secret"
    )
    # Another server's URI never gets the bundled server's password.
    clean_env.delenv("NEO4J_PASSWORD")
    with pytest.raises(Neo4jError, match="no password for Neo4j at bolt://db.example:7687"):
        connection_from_env_or_server(home=home)


@pytest.mark.neo4j
def test_neo4j_driver_fixture_empties_the_database(neo4j_driver) -> None:
    neo4j_driver.execute_query("CREATE (:Probe {name: 'x'})")
    records, _, _ = neo4j_driver.execute_query("MATCH (n:Probe) RETURN count(n) AS c")
    assert records[0]["c"] == 1


# --------------------------------------------------------------------------- a second, throw-away instance


@pytest.mark.neo4j
def test_start_status_stop_round_trip_with_env_password(
    tmp_path: Path, clean_env: pytest.MonkeyPatch
) -> None:
    # Spaces, quotes, a backslash, a '#' and a leading '-' survive the trip to set-initial-password.
    password = '-my "pass\\word" #1'
    clean_env.setenv("NEO4J_PASSWORD", password)
    server = Neo4jServer(tmp_path / "home", cache_dir=default_cache_dir())
    try:
        info = server.start()
        assert info.password == password
        status = server.status()
        assert status.running and status.uri == info.uri and status.pid
        assert _mode(server.password_file) == 0o600
        driver = open_driver(info)
        try:
            assert driver.execute_query("RETURN 1 AS x").records[0]["x"] == 1
        finally:
            driver.close()
        pid = status.pid
        assert server.stop() is True
    finally:
        server.stop()
    assert not server.state_file.exists()
    assert not server.status().running
    assert not Path(f"/proc/{pid}").exists() or "CommunityEntryPoint" not in Path(
        f"/proc/{pid}/cmdline"
    ).read_text(errors="replace")
    assert server.stop() is False
    with pytest.raises(Neo4jError, match="cannot reach Neo4j at bolt://127.0.0.1:"):
        open_driver(info, timeout=3)


# --------------------------------------------------------------------------- missing programs (real PATHs)


def test_missing_java_is_a_dependency_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    server = Neo4jServer(tmp_path / "home", cache_dir=tmp_path / "cache")
    with pytest.raises(DependencyError, match=r"Java 17 is needed to run Neo4j 5\.26: apt-get install"):
        server.start()
    assert not (tmp_path / "home").exists()


def test_missing_maven_is_a_dependency_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    java = shutil.which("java")
    if java is None:
        pytest.skip("needs java on PATH")
    only_java = tmp_path / "bin"
    only_java.mkdir()
    (only_java / "java").symlink_to(os.path.realpath(java))
    monkeypatch.setenv("PATH", str(only_java))
    monkeypatch.delenv("KG_NEO4J_VERSION", raising=False)
    server = Neo4jServer(tmp_path / "home", cache_dir=tmp_path / "empty-cache")
    with pytest.raises(DependencyError, match="Maven is needed to download Neo4j 5.26"):
        server.start()


def test_parse_java_major() -> None:
    assert parse_java_major('openjdk version "17.0.15" 2025-04-15') == 17
    assert parse_java_major('java version "1.8.0_392"') == 8
    assert parse_java_major('openjdk version "21" 2023-09-19') == 21
    assert parse_java_major("garbage") is None


def test_unreachable_server_is_one_clear_error() -> None:
    with pytest.raises(Neo4jError, match=r"^cannot reach Neo4j at bolt://127\.0\.0\.1:1: is it running"):
        open_driver(ConnectionInfo("bolt://127.0.0.1:1", "neo4j", "whatever1"), timeout=3)
    with pytest.raises(Neo4jError, match="invalid Neo4j URI"):
        open_driver(ConnectionInfo("http://127.0.0.1:1", "neo4j", "whatever1"))
