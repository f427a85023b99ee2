"""`kg neo4j start|status|stop` as a newcomer meets them (issue 15, item 4), on the real bundled server: a
connection line that works when pasted, one port per instance home across restarts (and a said fallback when
another program took it), Neo4j Browser with --http, and a status that fails when the server is down."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from kg.cli import main
from kg.neo4j.server import Neo4jServer, maven_downloads

EXPORT = re.compile(r'^export NEO4J_URI=bolt://127\.0\.0\.1:(\d+) NEO4J_USER=neo4j NEO4J_PASSWORD="\$\(cat (\S+)\)"$',
                    re.MULTILINE)

# Verbatim lines of a real `mvn -B dependency:copy` of Neo4j Browser into an empty local repository.
MAVEN_LINES = [
    "[INFO] Downloading from central: https://repo.maven.apache.org/maven2/org/neo4j/client/neo4j-browser/5.24.0/"
    "neo4j-browser-5.24.0.jar\n",
    "[INFO] Downloaded from central: https://repo.maven.apache.org/maven2/org/neo4j/client/neo4j-browser/5.24.0/"
    "neo4j-browser-5.24.0.jar (15 MB at 3.5 MB/s)\n",
    "[INFO] Downloaded from central: https://repo.maven.apache.org/maven2/org/apache/maven/plugins/"
    "maven-install-plugin/2.4/maven-install-plugin-2.4.jar (27 kB at 1.0 MB/s)\n",
    "[INFO] Downloaded from central: https://repo.maven.apache.org/maven2/org/apache/maven/maven-parent/23/"
    "maven-parent-23.pom (1,234 B at 9.4 kB/s)\n",
    "[INFO] BUILD SUCCESS\n",
]


def test_download_progress_follows_mavens_lines() -> None:
    seen: list[tuple[int, int]] = []
    passed = list(maven_downloads(iter(MAVEN_LINES), lambda done, files: seen.append((done, files))))
    assert passed == MAVEN_LINES
    assert seen == [(15_000_000, 1), (15_027_000, 2), (15_028_234, 3)]


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    for name in ("NEO4J_URI", "NEO4J_USER", "NEO4J_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("KG_NEO4J_HOME", str(tmp_path / "home"))
    yield tmp_path / "home"
    Neo4jServer(tmp_path / "home").stop()


def _paste(line: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """Run the printed line in a real shell, then a query that can only find the server through it."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}
    env["KG_NEO4J_HOME"] = str(tmp_path / "another-home")  # no bundled server to fall back on
    kg = Path(sys.executable).with_name("kg")
    return subprocess.run(["bash", "-c", f'{line} && "{kg}" query --cypher "RETURN 1 AS one" --format json'],
                          env=env, capture_output=True, text=True, timeout=120)


@pytest.mark.neo4j
def test_start_prints_a_line_to_paste_and_keeps_its_port(home: Path, tmp_path: Path,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["neo4j", "start"]) == 0
    out = capsys.readouterr().out
    m = EXPORT.search(out)
    assert m, out
    port, password_file = int(m.group(1)), Path(m.group(2))
    assert password_file == home / "password" and f"is running at bolt://127.0.0.1:{port}" in out
    pasted = _paste(m.group(0), tmp_path)
    assert pasted.returncode == 0 and json.loads(pasted.stdout) == [{"one": 1}], pasted.stderr

    assert main(["neo4j", "status"]) == 0
    assert EXPORT.search(capsys.readouterr().out).group(0) == m.group(0)
    assert main(["neo4j", "stop"]) == 0
    capsys.readouterr()
    assert main(["neo4j", "status"]) == 1
    assert capsys.readouterr().err == (f"kg: error: Neo4j is not running (home {home.resolve()}): "
                                       "start it with `kg neo4j start`\n")

    assert main(["neo4j", "start"]) == 0  # a restart listens where the first start did
    assert EXPORT.search(capsys.readouterr().out).group(1) == str(port)
    assert main(["-q", "neo4j", "stop"]) == 0

    with socket.socket() as squatter:  # another program takes the port meanwhile
        # the stopped server's connections may linger in TIME_WAIT: a listener takes the port all the same
        squatter.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        squatter.bind(("127.0.0.1", port))
        squatter.listen()
        assert main(["neo4j", "start"]) == 0
        printed = capsys.readouterr()
    moved = int(EXPORT.search(printed.out).group(1))
    assert moved != port
    assert (f"port {port}, where this instance listened before, is taken by another program: Bolt listens on "
            f"{moved} from now on") in printed.err
    assert json.loads((home / "ports.json").read_text())["bolt"] == moved


@pytest.mark.neo4j
def test_http_serves_neo4j_browser_on_localhost(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["-q", "neo4j", "start", "--http"]) == 0
    assert capsys.readouterr().out == ""  # -q: no line at all
    assert main(["neo4j", "status"]) == 0
    out = capsys.readouterr().out
    m = re.search(r"^Neo4j Browser: (http://127\.0\.0\.1:(\d+)/browser/) \(connect to bolt://", out, re.MULTILINE)
    assert m, out
    with urllib.request.urlopen(m.group(1), timeout=30) as page:
        assert page.status == 200 and "<title>Neo4j Browser</title>" in page.read().decode("utf-8", "replace")
    assert json.loads((home / "ports.json").read_text())["http"] == int(m.group(2))


def test_a_port_in_time_wait_is_still_the_instances_own(tmp_path: Path) -> None:
    """A stopped server's closed connections linger in TIME_WAIT on its port; a restart keeps the port, while a
    program listening on it moves the instance, with a message. Real sockets, set up as the JVM sets its own."""
    server = Neo4jServer(tmp_path / "home")
    server.home.mkdir(parents=True)
    said: list[str] = []
    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as Java's server sockets on Linux
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    port = listener.getsockname()[1]
    server.ports_file.write_text(json.dumps({"bolt": port}))
    moved = server._choose_port("bolt", None, said.append)  # someone listens there: a free port, said so
    assert moved != port and said and f"port {port}, where this instance listened before, is taken" in said[0]
    client = socket.create_connection(("127.0.0.1", port))
    accepted, _ = listener.accept()
    accepted.close()  # the server closes first: its side of the connection waits in TIME_WAIT
    client.close()
    listener.close()
    said.clear()
    assert server._choose_port("bolt", None, said.append) == port and not said
