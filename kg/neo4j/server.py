"""Run a private Neo4j Community 5.26 server: fetch it with Maven, configure, start, stop, connect.

Two separate folders are involved:

* the **distribution cache** (jars only, shared by every instance of a user):
  ``$KG_NEO4J_CACHE`` or ``$XDG_DATA_HOME/kg`` (default ``~/.local/share/kg``), holding
  ``neo4j-<version>/lib/*.jar``. Filled once with
  ``mvn dependency:copy-dependencies`` from the ``pom.xml`` shipped in this package; later starts reuse it.
* the **instance home** (one server's conf, data, logs, password and state file):
  ``$KG_NEO4J_HOME`` or ``<cache>/neo4j-instance``.

The version is the newest 5.26.x patch release on Maven Central at the time of the first download
(Maven resolves the range ``[5.26.0,5.27.0)``), or exactly ``$KG_NEO4J_VERSION`` / ``version=``.
Once a version is in the cache it is reused without asking the network again.

Users with their own Neo4j (Desktop, Docker, Aura) never need any of this: see
:func:`connection_from_env_or_server`, which prefers explicit arguments, then ``NEO4J_URI`` /
``NEO4J_USER`` / ``NEO4J_PASSWORD``, and only then the state file of the bundled server.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from kg.errors import DependencyError, Neo4jError

SERIES = "5.26"
VERSION_RANGE = "[5.26.0,5.27.0)"
MIN_JAVA = 17
DEFAULT_USER = "neo4j"
MAIN_CLASS = "org.neo4j.server.CommunityEntryPoint"
ADMIN_CLASS = "org.neo4j.cli.AdminTool"

STATE_FILE = "server.json"
PORTS_FILE = "ports.json"  # the instance's ports, kept across stops so that a restart listens where it did
PASSWORD_FILE = "password"
CONSOLE_LOG = "neo4j-console.log"
COMPLETE_MARKER = ".complete"

DOWNLOAD_MB = 130  # what the first start fetches: about 230 jars
# Neo4j Browser for --http: not a dependency of org.neo4j:neo4j; 5.24.0 is the newest on Maven Central.
BROWSER_ARTIFACT = ("org.neo4j.client", "neo4j-browser", "5.24.0")
_DOWNLOADED = re.compile(r"Downloaded from [^:]+: (\S+) \((\d[\d.,]*) (B|kB|KB|MB|GB)")
_UNITS = {"B": 1, "kB": 1e3, "KB": 1e3, "MB": 1e6, "GB": 1e9}
Say = Callable[[str], None]  # a sentence for the user (the CLI prints it on stderr, not under -q)
Progress = Callable[[int, int], None]  # (bytes downloaded so far, files so far)

BOLT_SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")

STARTUP_TIMEOUT = 120.0
STOP_TIMEOUT = 60.0

# The flags the official launcher passes; nothing adds them in --console-mode, and the heap
# settings of neo4j.conf are not applied in this mode, so -Xms/-Xmx are given here too. One change:
# the throughput collector instead of G1. G1 buys short pauses on large heaps; this server has a
# small heap and does bulk loads, where the parallel collector cut the server's CPU time by a
# quarter and raised the warm whole-corpus load from about 16-22k to 24-28k relationships/s.
JVM_FLAGS = (
    "-XX:+UseParallelGC",
    "-XX:-OmitStackTraceInFastThrow",
    "-XX:+UnlockExperimentalVMOptions",
    "-XX:+TrustFinalNonStaticFields",
    "-XX:+DisableExplicitGC",
    "-Djdk.nio.maxCachedBufferSize=1024",
    "-Dio.netty.tryReflectionSetAccessible=true",
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "--enable-native-access=ALL-UNNAMED",
    "-Dlog4j2.disable.jmx=true",
    "-Dfile.encoding=UTF-8",
)

JAVA_HINT = f"Java {MIN_JAVA} is needed to run Neo4j {SERIES}: apt-get install openjdk-17-jre-headless"
MAVEN_HINT = f"Maven is needed to download Neo4j {SERIES} from Maven Central: apt-get install maven"

# Popen objects of servers started by this process, kept so they are reaped (no zombies, no
# "subprocess still running" warnings) when stopped from the same process.
_CHILDREN: dict[int, subprocess.Popen[bytes]] = {}


# --------------------------------------------------------------------------- records


@dataclass(frozen=True)
class ConnectionInfo:
    """Where and as whom to connect. The password is left out of repr()."""

    uri: str
    user: str
    password: str = field(repr=False)


@dataclass(frozen=True)
class ServerStatus:
    """What the state file of an instance home says, checked against the live process."""

    running: bool
    home: Path
    pid: int | None = None
    port: int | None = None
    uri: str | None = None
    user: str | None = None
    version: str | None = None
    log_file: Path | None = None
    http_port: int | None = None
    password_file: Path | None = None


# --------------------------------------------------------------------------- locations


def data_root() -> Path:
    """``$XDG_DATA_HOME/kg``, default ``~/.local/share/kg``."""
    xdg = os.environ.get("XDG_DATA_HOME")
    base = Path(xdg) if xdg else Path.home() / ".local" / "share"
    return base / "kg"


def default_cache_dir() -> Path:
    """Folder holding ``neo4j-<version>/lib`` distributions: ``$KG_NEO4J_CACHE`` or :func:`data_root`."""
    env = os.environ.get("KG_NEO4J_CACHE")
    return Path(env).expanduser() if env else data_root()


def default_home() -> Path:
    """Instance home (conf, data, logs, state): ``$KG_NEO4J_HOME`` or ``<data root>/neo4j-instance``."""
    env = os.environ.get("KG_NEO4J_HOME")
    return Path(env).expanduser() if env else data_root() / "neo4j-instance"


# --------------------------------------------------------------------------- dependencies


def find_java() -> tuple[str, int]:
    """Path and major version of the ``java`` on PATH; DependencyError if missing or older than 17."""
    java = shutil.which("java")
    if java is None:
        raise DependencyError(f"java not found on PATH. {JAVA_HINT}")
    try:
        proc = subprocess.run([java, "-version"], capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise DependencyError(f"cannot run {java} -version ({exc}). {JAVA_HINT}") from exc
    major = parse_java_major(proc.stderr + proc.stdout)
    if major is None:
        raise DependencyError(f"cannot tell the version of {java}. {JAVA_HINT}")
    if major < MIN_JAVA:
        raise DependencyError(f"{java} is Java {major}, too old. {JAVA_HINT}")
    return java, major


def parse_java_major(version_output: str) -> int | None:
    """Major version from ``java -version`` output: '1.8.0_392' -> 8, '17.0.15' -> 17, '21' -> 21."""
    m = re.search(r'version "(\d+)(?:\.(\d+))?', version_output)
    if not m:
        return None
    first = int(m.group(1))
    if first == 1 and m.group(2):
        return int(m.group(2))
    return first


def find_maven() -> str:
    mvn = shutil.which("mvn")
    if mvn is None:
        raise DependencyError(f"mvn not found on PATH. {MAVEN_HINT}")
    return mvn


# --------------------------------------------------------------------------- distribution (jars)


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(p) for p in re.findall(r"\d+", version))


def installed_versions(cache_dir: Path) -> list[str]:
    """Complete 5.26.x distributions in the cache, newest first."""
    found = []
    if cache_dir.is_dir():
        for d in cache_dir.glob(f"neo4j-{SERIES}.*"):
            version = d.name.removeprefix("neo4j-")
            if re.fullmatch(r"5\.26\.\d+", version) and (d / COMPLETE_MARKER).is_file():
                found.append(version)
    return sorted(found, key=_version_key, reverse=True)


@contextlib.contextmanager
def _file_lock(path: Path) -> Iterator[None]:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def maven_downloads(lines: Iterator[str], progress: Progress | None = None) -> Iterator[str]:
    """Pass Maven's output lines through, reporting each "Downloaded from …: URL (12 kB at …)" line's size to
    ``progress`` as running totals (bytes, files). Maven prints one such line per artifact in batch mode."""
    total = files = 0
    for line in lines:
        m = _DOWNLOADED.search(line)
        if m:
            total += int(float(m.group(2).replace(",", "")) * _UNITS[m.group(3)])
            files += 1
            if progress:
                progress(total, files)
        yield line


def _run_maven(cmd: list[str], timeout: float, progress: Progress | None) -> tuple[int, str]:
    """Run Maven, following its download lines; (exit code, the last of its output for an error message)."""
    deadline = time.monotonic() + timeout
    tail: list[str] = []
    with subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                          stdin=subprocess.DEVNULL) as proc:
        assert proc.stdout is not None
        for line in maven_downloads(iter(proc.stdout.readline, ""), progress):
            tail = [*tail[-199:], line]
            if time.monotonic() > deadline:
                proc.kill()
                raise Neo4jError(f"Maven did not finish downloading within {timeout:.0f} s")
        code = proc.wait()
    return code, "".join(tail)


def ensure_distribution(
    cache_dir: Path | None = None, version: str | None = None, *, timeout: float = 1800.0,
    say: Say | None = None, progress: Progress | None = None,
) -> tuple[str, Path]:
    """Return ``(version, lib_dir)`` of a Neo4j 5.26 distribution, downloading it with Maven if needed.

    ``version`` (or ``$KG_NEO4J_VERSION``) pins an exact 5.26.x; otherwise the newest one already in the
    cache is used, and if there is none, the newest on Maven Central is fetched. The first download takes
    minutes, so it is announced through ``say`` and followed through ``progress``.
    """
    cache_dir = Path(cache_dir) if cache_dir else default_cache_dir()
    version = version or os.environ.get("KG_NEO4J_VERSION") or None
    if version is not None and not re.fullmatch(r"5\.26\.\d+", version):
        raise Neo4jError(f"unsupported Neo4j version {version!r}: only {SERIES}.x runs on Java 17")

    def existing() -> tuple[str, Path] | None:
        have = installed_versions(cache_dir)
        if version is None and have:
            return have[0], cache_dir / f"neo4j-{have[0]}" / "lib"
        if version is not None and version in have:
            return version, cache_dir / f"neo4j-{version}" / "lib"
        return None

    found = existing()
    if found:
        return found
    mvn = find_maven()
    with _file_lock(cache_dir / ".neo4j-download.lock"):
        found = existing()  # another process may have finished the download meanwhile
        if found:
            return found
        staging = Path(tempfile.mkdtemp(prefix=".neo4j-download-", dir=cache_dir))
        try:
            pom = staging / "pom.xml"
            pom.write_bytes(resources.files("kg.neo4j").joinpath("pom.xml").read_bytes())
            lib = staging / "lib"
            cmd = [
                mvn, "-B", "-f", str(pom),
                f"-Dneo4j.version={version or VERSION_RANGE}",
                "dependency:copy-dependencies", f"-DoutputDirectory={lib}",
            ]  # fmt: skip
            if say:
                say(f"Neo4j {version or SERIES + '.x'} is not in {cache_dir} yet: downloading about {DOWNLOAD_MB} MB "
                    "of jars from Maven Central, once (later starts reuse them; this can take several minutes)")
            code, output = _run_maven(cmd, timeout, progress)
            if code != 0:
                raise Neo4jError(
                    f"Maven could not download Neo4j {version or SERIES + '.x'} from Maven Central: "
                    f"{_last_relevant_line(output) or 'exit ' + str(code)}"
                )
            jar_name = re.compile(r"neo4j-(5\.26\.\d+)\.jar")
            got = sorted(
                (m.group(1) for j in lib.glob("neo4j-5.26.*.jar") if (m := jar_name.fullmatch(j.name))),
                key=_version_key,
            )
            if not got:
                raise Neo4jError(f"Maven ran but no neo4j-{SERIES}.x jar arrived in {lib}")
            resolved = got[-1]
            (staging / COMPLETE_MARKER).write_text(
                json.dumps({"version": resolved, "jars": len(list(lib.glob("*.jar")))}) + "\n"
            )
            target = cache_dir / f"neo4j-{resolved}"
            if target.exists():  # incomplete leftover of an interrupted run
                shutil.rmtree(target)
            staging.rename(target)
            return resolved, target / "lib"
        finally:
            if staging.exists():
                shutil.rmtree(staging, ignore_errors=True)


def ensure_browser(cache_dir: Path | None = None, *, timeout: float = 600.0, say: Say | None = None,
                   progress: Progress | None = None) -> Path:
    """The Neo4j Browser jar (for --http), fetched with Maven into the cache the first time it is asked for:
    the server serves it at /browser/ when it is on the classpath."""
    group, artifact, version = BROWSER_ARTIFACT
    cache_dir = Path(cache_dir) if cache_dir else default_cache_dir()
    folder = cache_dir / f"{artifact}-{version}"
    jar = folder / f"{artifact}-{version}.jar"
    if jar.is_file():
        return jar
    mvn = find_maven()
    with _file_lock(cache_dir / ".neo4j-download.lock"):
        if jar.is_file():
            return jar
        staging = Path(tempfile.mkdtemp(prefix=".browser-download-", dir=cache_dir))
        try:
            if say:
                say(f"Neo4j Browser {version} is not in {cache_dir} yet: downloading about 15 MB from Maven Central, "
                    "once")
            code, output = _run_maven([mvn, "-B", "dependency:copy", f"-Dartifact={group}:{artifact}:{version}",
                                       f"-DoutputDirectory={staging}"], timeout, progress)
            if code != 0 or not (staging / jar.name).is_file():
                raise Neo4jError(f"Maven could not download Neo4j Browser {version}: "
                                 f"{_last_relevant_line(output) or 'exit ' + str(code)}")
            if folder.exists():
                shutil.rmtree(folder)
            staging.rename(folder)
            return jar
        finally:
            if staging.exists():
                shutil.rmtree(staging, ignore_errors=True)


# --------------------------------------------------------------------------- helpers


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def _port_free(port: int, host: str = "127.0.0.1") -> bool:
    """Whether a server could listen on ``port``. SO_REUSEADDR, as the JVM sets it for Neo4j's own socket: the
    connections a stopped server closed linger in TIME_WAIT on its port for a minute, and a restart must not
    take them for another program."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((host, port))
        except OSError:
            return False
        return True


_NOISE = re.compile(r"^\s*(at |\.\.\. \d+ more)")
_RELEVANT = re.compile(r"ERROR|Exception|Error:|Caused by|Failed|failed|Unrecognized|Invalid|invalid")


def _last_relevant_line(text: str) -> str:
    """The most telling line of a log: the last error-looking one, else the last non-empty one."""
    lines = [ln.strip() for ln in text.splitlines() if ln.strip() and not _NOISE.match(ln)]
    for ln in reversed(lines):
        if _RELEVANT.search(ln):
            return ln
    return lines[-1] if lines else ""


def _log_tail(path: Path, size: int = 64 * 1024) -> str:
    try:
        with open(path, "rb") as fh:
            fh.seek(0, os.SEEK_END)
            fh.seek(max(0, fh.tell() - size))
            return fh.read().decode("utf-8", "replace")
    except OSError:
        return ""


def _write_private(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` atomically, readable by the owner only (0600)."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.fchmod(fd, 0o600)
        os.write(fd, text.encode("utf-8"))
    finally:
        os.close(fd)
    os.replace(tmp, path)


def _pid_alive(pid: int) -> bool:
    child = _CHILDREN.get(pid)
    if child is not None:
        if child.poll() is None:
            return True
        _CHILDREN.pop(pid, None)
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    with contextlib.suppress(OSError):  # a zombie is not alive
        stat = Path(f"/proc/{pid}/stat").read_text()
        if stat.rsplit(")", 1)[-1].split()[0] == "Z":
            return False
    return True


def _is_our_server(pid: int, home: Path) -> bool:
    """True when ``pid`` is alive and is the Neo4j of ``home`` (guards against pid reuse)."""
    if not _pid_alive(pid):
        return False
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return True  # no /proc (not Linux): trust the pid
    args = [a.decode("utf-8", "replace") for a in cmdline]
    return MAIN_CLASS in args and f"--home-dir={home}" in args


def _quote_argfile(value: str) -> str:
    """Quote one argument for a picocli @-file (double quotes; backslash and quote escaped)."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


# --------------------------------------------------------------------------- the server


class Neo4jServer:
    """One private Neo4j instance living in ``home``, run from jars in ``cache_dir``."""

    def __init__(
        self,
        home: Path | str | None = None,
        *,
        cache_dir: Path | str | None = None,
        version: str | None = None,
        port: int | None = None,
        heap: str = "512m",
        pagecache: str = "64m",
        http: bool = False,
        settings: Mapping[str, str] | None = None,
        startup_timeout: float = STARTUP_TIMEOUT,
        stop_timeout: float = STOP_TIMEOUT,
    ) -> None:
        # resolve(): the --home-dir in the JVM's command line is how a running server is recognised.
        self.home = (Path(home).expanduser() if home else default_home()).resolve()
        self.cache_dir = (Path(cache_dir).expanduser() if cache_dir else default_cache_dir()).resolve()
        self.version = version
        self.port = port
        self.heap = heap
        self.pagecache = pagecache
        self.http = http
        self.settings = dict(settings or {})
        self.startup_timeout = startup_timeout
        self.stop_timeout = stop_timeout

    # paths -------------------------------------------------------------
    @property
    def conf_dir(self) -> Path:
        return self.home / "conf"

    @property
    def data_dir(self) -> Path:
        return self.home / "data"

    @property
    def state_file(self) -> Path:
        return self.home / STATE_FILE

    @property
    def password_file(self) -> Path:
        return self.home / PASSWORD_FILE

    @property
    def log_file(self) -> Path:
        return self.home / "logs" / CONSOLE_LOG

    def _initialised(self) -> bool:
        return (self.data_dir / "databases" / "system").is_dir()

    # state -------------------------------------------------------------
    def read_state(self) -> dict | None:
        try:
            state = json.loads(self.state_file.read_text())
        except (OSError, ValueError):
            return None
        return state if isinstance(state, dict) and isinstance(state.get("pid"), int) else None

    @property
    def ports_file(self) -> Path:
        return self.home / PORTS_FILE

    def saved_ports(self) -> dict[str, int]:
        """The Bolt and HTTP ports this instance listened on last (``{"bolt": …, "http": …}``)."""
        try:
            ports = json.loads(self.ports_file.read_text())
        except (OSError, ValueError):
            return {}
        return {k: v for k, v in ports.items() if k in ("bolt", "http") and isinstance(v, int)} \
            if isinstance(ports, dict) else {}

    def _choose_port(self, kind: str, asked: int | None, say: Say | None) -> int:
        """The port asked for (taken: an error); else the one this instance used last, or a free one the first
        time. A usual port another program has taken meanwhile is replaced by a free one, and ``say`` says so."""
        if asked is not None:
            if not _port_free(asked):
                raise Neo4jError(f"port {asked} on 127.0.0.1 is already in use: choose another with --port")
            return asked
        usual = self.saved_ports().get(kind)
        if usual is None:
            return free_port()
        if _port_free(usual):
            return usual
        port = free_port()
        if say:
            say(f"port {usual}, where this instance listened before, is taken by another program: "
                f"{'Bolt' if kind == 'bolt' else 'HTTP'} listens on {port} from now on")
        return port

    def _remove_state(self) -> None:
        with contextlib.suppress(FileNotFoundError):
            self.state_file.unlink()

    def read_password(self) -> str | None:
        try:
            os.chmod(self.password_file, 0o600)
            return self.password_file.read_text(encoding="utf-8").rstrip("\n") or None
        except OSError:
            return None

    def status(self) -> ServerStatus:
        """Whether the server recorded in the state file is running; never changes anything."""
        state = self.read_state()
        if state is None:
            return ServerStatus(running=False, home=self.home)
        pid = state["pid"]
        return ServerStatus(
            running=_is_our_server(pid, self.home),
            home=self.home,
            pid=pid,
            port=state.get("port"),
            uri=state.get("uri"),
            user=state.get("user"),
            version=state.get("version"),
            log_file=Path(state["log_file"]) if state.get("log_file") else None,
            http_port=state.get("http_port"),
            password_file=self.password_file,
        )

    def connection_info(self) -> ConnectionInfo | None:
        """Connection info of the running instance, or None if none is recorded."""
        state = self.read_state()
        password = os.environ.get("NEO4J_PASSWORD") or self.read_password()
        if state is None or password is None:
            return None
        return ConnectionInfo(state["uri"], state.get("user", DEFAULT_USER), password)

    # configuration -------------------------------------------------------
    def _config(self, port: int, http_port: int | None) -> dict[str, str]:
        d = self.data_dir.parent
        conf = {
            "server.default_listen_address": "127.0.0.1",
            "server.default_advertised_address": "127.0.0.1",
            "server.bolt.enabled": "true",
            "server.bolt.listen_address": f"127.0.0.1:{port}",
            "server.bolt.advertised_address": f"127.0.0.1:{port}",
            "server.http.enabled": "true" if http_port else "false",
            "server.https.enabled": "false",
            "server.directories.data": str(self.data_dir),
            "server.directories.logs": str(d / "logs"),
            "server.directories.run": str(d / "run"),
            "server.directories.import": str(d / "import"),
            "server.directories.plugins": str(d / "plugins"),
            "server.memory.pagecache.size": self.pagecache,
            "dbms.usage_report.enabled": "false",
            "db.tx_log.preallocate": "false",
            "dbms.security.auth_enabled": "true",
        }
        if http_port:
            conf["server.http.listen_address"] = f"127.0.0.1:{http_port}"
            conf["server.http.advertised_address"] = f"127.0.0.1:{http_port}"
        conf.update(self.settings)  # a dict: no key can appear twice
        return conf

    def _write_config(self, conf: Mapping[str, str]) -> Path:
        self.conf_dir.mkdir(parents=True, exist_ok=True)
        for key, value in conf.items():
            if "\n" in key or "\n" in value or "=" in key:
                raise Neo4jError(f"invalid neo4j.conf setting {key!r}={value!r}")
        body = "".join(f"{k}={v}\n" for k, v in conf.items())
        path = self.conf_dir / "neo4j.conf"
        path.write_text("# Written by kg.neo4j.server at every start; edits here are overwritten.\n" + body)
        return path

    def _java_env(self) -> dict[str, str]:
        env = dict(os.environ)
        env["NEO4J_HOME"] = str(self.home)
        env["NEO4J_CONF"] = str(self.conf_dir)
        return env

    # password ------------------------------------------------------------
    def _password_for_start(self) -> str:
        env_pw = os.environ.get("NEO4J_PASSWORD")
        if env_pw:
            if not self._initialised():
                if len(env_pw) < 8:
                    raise Neo4jError("the Neo4j password must be at least 8 characters (NEO4J_PASSWORD)")
                _write_private(self.password_file, env_pw + "\n")
            return env_pw
        stored = self.read_password()
        if stored:
            return stored
        if self._initialised():
            raise Neo4jError(
                f"the Neo4j instance in {self.home} is already initialised but its password file "
                f"{self.password_file} is missing: set NEO4J_PASSWORD"
            )
        pw = secrets.token_urlsafe(24)
        while pw.startswith("-"):  # awkward on command lines (--neo4j-password -x...)
            pw = secrets.token_urlsafe(24)
        _write_private(self.password_file, pw + "\n")
        return pw

    def _set_initial_password(self, java: str, lib: Path, password: str) -> None:
        if len(password) < 8:
            raise Neo4jError("the Neo4j password must be at least 8 characters (NEO4J_PASSWORD)")
        # The password goes through a picocli @-file (0600) so it never shows in `ps`.
        argfile = self.home / ".initial-password.args"
        # "--" ends the options, so a password starting with "-" is not taken for one.
        _write_private(argfile, "-- " + _quote_argfile(password) + "\n")
        try:
            proc = self._admin(java, lib, ["dbms", "set-initial-password", f"@{argfile}"], timeout=300)
        finally:
            argfile.unlink(missing_ok=True)
        if proc.returncode != 0:
            raise Neo4jError(
                f"could not set the initial Neo4j password: {_last_relevant_line(proc.stdout + proc.stderr)}"
            )

    def _admin(self, java: str, lib: Path, args: list[str], timeout: float | None) -> subprocess.CompletedProcess[str]:
        return subprocess.run([java, "-cp", f"{lib}/*", ADMIN_CLASS, *args], capture_output=True, text=True,
                              env=self._java_env(), timeout=timeout, check=False)

    def run_admin(self, args: list[str], timeout: float | None = None) -> subprocess.CompletedProcess[str]:
        """Run ``neo4j-admin ARGS`` on this instance's files (it must be stopped for most commands),
        with the configuration a start would write."""
        java, _major = find_java()
        _version, lib = ensure_distribution(self.cache_dir, self.version)
        self.home.mkdir(parents=True, exist_ok=True, mode=0o700)
        with _file_lock(self.home / ".lock"):
            self._write_config(self._config(self.port or free_port(), None))
            return self._admin(java, lib, args, timeout)

    # start/stop ----------------------------------------------------------
    def install(self) -> tuple[str, Path]:
        """Make sure Java works and the jars are in the cache; return ``(version, lib_dir)``."""
        find_java()
        return ensure_distribution(self.cache_dir, self.version)

    def start(self, say: Say | None = None, progress: Progress | None = None) -> ConnectionInfo:
        """Start the server (or find it already running) and return how to connect to it.

        It listens on the port it used last (kept in ``ports.json``), so a connection line pasted once keeps
        working; ``say`` and ``progress`` follow the first start's download and a port that had to change."""
        java, _major = find_java()
        version, lib = ensure_distribution(self.cache_dir, self.version, say=say, progress=progress)
        browser = ensure_browser(self.cache_dir, say=say, progress=progress) if self.http else None
        self.home.mkdir(parents=True, exist_ok=True, mode=0o700)
        with _file_lock(self.home / ".lock"):
            running = self._running_info()
            if running is not None:
                return running
            self._remove_state()
            for sub in ("data", "logs", "run", "import", "plugins"):
                (self.home / sub).mkdir(parents=True, exist_ok=True)
            password = self._password_for_start()
            port = self._choose_port("bolt", self.port, say)
            http_port = self._choose_port("http", None, say) if self.http else None
            _write_private(self.ports_file, json.dumps({**self.saved_ports(), "bolt": port,
                                                        **({"http": http_port} if http_port else {})}) + "\n")
            self._write_config(self._config(port, http_port))
            if not self._initialised():
                self._set_initial_password(java, lib, password)
            cmd = [
                java, f"-Xms{self.heap}", f"-Xmx{self.heap}", *JVM_FLAGS,
                "-cp", f"{self.home}/plugins/*:{self.conf_dir}/*:{lib}/*" + (f":{browser}" if browser else ""),
                MAIN_CLASS, f"--home-dir={self.home}", f"--config-dir={self.conf_dir}", "--console-mode",
            ]  # fmt: skip
            with open(self.log_file, "ab") as log:
                proc = subprocess.Popen(
                    cmd, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                    env=self._java_env(), cwd=self.home, start_new_session=True, close_fds=True,
                )  # fmt: skip
            _CHILDREN[proc.pid] = proc
            uri = f"bolt://127.0.0.1:{port}"
            state = {
                "pid": proc.pid,
                "port": port,
                "uri": uri,
                "user": DEFAULT_USER,
                "version": version,
                "home": str(self.home),
                "lib": str(lib),
                "log_file": str(self.log_file),
                "http_port": http_port,
                "started_at": time.time(),
            }
            _write_private(self.state_file, json.dumps(state, indent=2) + "\n")
            info = ConnectionInfo(uri, DEFAULT_USER, password)
            try:
                self._wait_until_ready(proc.pid, info, http_port)
            except Neo4jError:
                if _pid_alive(proc.pid):
                    self._terminate(proc.pid)
                self._remove_state()
                raise
            return info

    def _running_info(self) -> ConnectionInfo | None:
        """Connection info of the recorded server if it is alive and answers Bolt."""
        state = self.read_state()
        if state is None or not _is_our_server(state["pid"], self.home):
            return None
        password = os.environ.get("NEO4J_PASSWORD") or self.read_password()
        if password is None:
            raise Neo4jError(
                f"a Neo4j server runs from {self.home} but its password is unknown: set NEO4J_PASSWORD"
            )
        info = ConnectionInfo(state["uri"], state.get("user", DEFAULT_USER), password)
        # It may still be starting (another process started it): give it the start-up timeout.
        self._wait_until_ready(state["pid"], info)
        return info

    def _wait_until_ready(self, pid: int, info: ConnectionInfo, http_port: int | None = None) -> None:
        """Until Bolt answers, and the HTTP port too when there is one: the server opens HTTP seconds after Bolt,
        and a Browser link printed before it would be refused."""
        import neo4j
        from neo4j import exceptions as nx

        deadline = time.monotonic() + self.startup_timeout
        driver = neo4j.GraphDatabase.driver(info.uri, auth=(info.user, info.password), connection_timeout=5)
        try:
            while True:
                if not _pid_alive(pid):
                    line = _last_relevant_line(_log_tail(self.log_file))
                    raise Neo4jError(
                        f"Neo4j exited during start-up: {line or 'no output'} (log: {self.log_file})"
                    )
                try:
                    driver.verify_connectivity()
                    if http_port is None or not _port_free(http_port):
                        return
                except nx.AuthError as exc:
                    raise Neo4jError(
                        f"Neo4j at {info.uri} is up but rejects the password"
                        f"{' from NEO4J_PASSWORD' if os.environ.get('NEO4J_PASSWORD') else ''}: "
                        f"this instance keeps the password it was first started with "
                        f"(see {self.password_file})"
                    ) from exc
                except (nx.DriverError, OSError):  # not listening yet
                    pass
                except nx.Neo4jError as exc:  # e.g. the system database is still starting
                    if exc.code and "Security" in exc.code:
                        raise Neo4jError(f"Neo4j at {info.uri} refused the login: {exc.message}") from exc
                if time.monotonic() > deadline:
                    line = _last_relevant_line(_log_tail(self.log_file))
                    raise Neo4jError(
                        f"Neo4j did not answer on {info.uri} within {self.startup_timeout:.0f} s; "
                        f"last log line: {line or 'none'} (log: {self.log_file})"
                    )
                time.sleep(0.5)
        finally:
            driver.close()

    def _terminate(self, pid: int) -> None:
        """SIGTERM the server's process group, SIGKILL it after ``stop_timeout``."""

        def send(sig: signal.Signals) -> None:
            try:
                os.killpg(pid, sig)  # its own session: the group id is its pid
            except ProcessLookupError:
                pass
            except PermissionError:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, sig)

        send(signal.SIGTERM)
        deadline = time.monotonic() + self.stop_timeout
        while _pid_alive(pid):
            if time.monotonic() > deadline:
                send(signal.SIGKILL)
                kill_deadline = time.monotonic() + 10
                while _pid_alive(pid) and time.monotonic() < kill_deadline:
                    time.sleep(0.1)
                break
            time.sleep(0.2)
        child = _CHILDREN.pop(pid, None)
        if child is not None:
            with contextlib.suppress(subprocess.TimeoutExpired):
                child.wait(timeout=5)
        if _pid_alive(pid):
            raise Neo4jError(f"could not stop Neo4j (pid {pid})")

    def stop(self) -> bool:
        """Stop the recorded server. True if one was running, False if there was nothing to stop."""
        if not self.home.is_dir():
            return False
        with _file_lock(self.home / ".lock"):
            state = self.read_state()
            if state is None:
                return False
            pid = state["pid"]
            was_running = _is_our_server(pid, self.home)
            if was_running:
                self._terminate(pid)
            self._remove_state()
            return was_running


# --------------------------------------------------------------------------- module-level API


def start_server(
    home: Path | str | None = None, *, port: int | None = None, say: Say | None = None,
    progress: Progress | None = None, **kwargs: object
) -> ConnectionInfo:
    """Start (or find running) the bundled server of ``home`` (default :func:`default_home`)."""
    return Neo4jServer(home, port=port, **kwargs).start(say, progress)  # type: ignore[arg-type]


def stop_server(home: Path | str | None = None) -> bool:
    return Neo4jServer(home).stop()


def server_status(home: Path | str | None = None) -> ServerStatus:
    return Neo4jServer(home).status()


def connection_from_env_or_server(
    uri: str | None = None,
    user: str | None = None,
    password: str | None = None,
    *,
    home: Path | str | None = None,
) -> ConnectionInfo:
    """Explicit arguments > ``NEO4J_URI``/``NEO4J_USER``/``NEO4J_PASSWORD`` > the bundled server's state.

    The bundled server's password file is used only when the URI is the bundled server's own.
    """
    server = Neo4jServer(home)
    state = server.read_state()
    bundled_uri = state.get("uri") if state else None
    uri = uri or os.environ.get("NEO4J_URI") or bundled_uri
    if not uri:
        raise Neo4jError(
            "no Neo4j to connect to: pass --neo4j-uri or set NEO4J_URI, or start the bundled server "
            "with `kg neo4j start`"
        )
    is_bundled = state is not None and uri == bundled_uri
    user = user or os.environ.get("NEO4J_USER") or (state.get("user") if is_bundled else None) or DEFAULT_USER
    if not password:
        password = os.environ.get("NEO4J_PASSWORD") or (server.read_password() if is_bundled else None)
    if not password:
        raise Neo4jError(f"no password for Neo4j at {uri}: pass --neo4j-password or set NEO4J_PASSWORD")
    return ConnectionInfo(uri, user, password)


def open_driver(info: ConnectionInfo, *, timeout: float = 15.0, **driver_kwargs: object):  # -> neo4j.Driver
    """A connected ``neo4j.Driver``; failures become one-line :class:`Neo4jError`s."""
    import neo4j
    from neo4j import exceptions as nx

    scheme = info.uri.partition("://")[0].lower()
    if scheme not in BOLT_SCHEMES:
        raise Neo4jError(f"invalid Neo4j URI {info.uri!r}: use bolt://HOST:PORT or neo4j://HOST:PORT")
    try:
        driver = neo4j.GraphDatabase.driver(
            info.uri, auth=(info.user, info.password), connection_timeout=timeout, **driver_kwargs
        )
    except (nx.ConfigurationError, ValueError) as exc:
        raise Neo4jError(f"invalid Neo4j URI {info.uri!r}: {exc}") from exc
    try:
        driver.verify_connectivity()
    except nx.AuthError as exc:
        driver.close()
        raise Neo4jError(
            f"authentication failed for {info.user} at {info.uri}: check --neo4j-password or NEO4J_PASSWORD"
        ) from exc
    except (nx.ServiceUnavailable, nx.SessionExpired, OSError) as exc:
        driver.close()
        raise Neo4jError(
            f"cannot reach Neo4j at {info.uri}: is it running? (start the bundled one with `kg neo4j start`)"
        ) from exc
    except (nx.Neo4jError, nx.DriverError) as exc:
        driver.close()
        msg = getattr(exc, "message", None) or str(exc)
        raise Neo4jError(f"Neo4j at {info.uri} refused the connection: {msg}") from exc
    return driver


__all__ = [
    "ConnectionInfo",
    "Neo4jServer",
    "ServerStatus",
    "connection_from_env_or_server",
    "default_cache_dir",
    "default_home",
    "ensure_browser",
    "ensure_distribution",
    "find_java",
    "open_driver",
    "server_status",
    "start_server",
    "stop_server",
]
