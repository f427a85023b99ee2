"""The `kg` command line: complete help, --quiet/--verbose, exit codes, and one plain line per error."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import click
import pytest

from kg.cli import cli, main
from tests.conftest import SEEDS


def all_commands(group: click.Group = cli, path: str = "kg") -> Iterator[tuple[str, click.Command]]:
    yield path, group
    for name, command in sorted(group.commands.items()):
        if isinstance(command, click.Group):
            yield from all_commands(command, f"{path} {name}")
        else:
            yield f"{path} {name}", command


COMMANDS = dict(all_commands())


@pytest.mark.parametrize("path", sorted(COMMANDS))
def test_every_command_option_and_argument_has_help(path: str, capsys: pytest.CaptureFixture[str]) -> None:
    command = COMMANDS[path]
    assert (command.help or "").strip(), f"{path} has no help text"
    for param in command.params:
        if isinstance(param, click.Option) and not param.hidden:
            assert (param.help or "").strip(), f"{path} {param.opts[0]} has no help text"
        elif isinstance(param, click.Argument):
            name = param.human_readable_name.strip(".").upper()
            assert name in command.help, f"{path}: its help never explains the argument {name}"
    assert main([*path.split()[1:], "--help"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"Usage: {path}") and len(out.splitlines()) > 3


def test_top_level_help_documents_exit_codes_and_verbosity(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    assert "Exit codes:" in out
    for line in ("0  success", "1  an error", "2  a usage error"):
        assert line in out
    assert "--quiet" in out and "--verbose" in out


def test_quiet_prints_nothing_and_verbose_names_files_and_times(tmp_path: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["-q", "build", str(SEEDS), "--out", str(tmp_path / "q")]) == 0
    assert capsys.readouterr() == ("", "")
    assert (tmp_path / "q" / "graph.html").is_file()
    assert main(["-v", "viz", str(SEEDS), "--out", str(tmp_path / "v.html")]) == 0
    out, err = capsys.readouterr()
    assert "wrote" in out
    for path in sorted(SEEDS.glob("*.txt")):
        assert f"reading {path}" in err
    assert " s" in err and "built the graph of 5 articles" in err
    assert main(["-q", "-v", "viz", str(SEEDS)]) == 2
    assert "exclude each other" in capsys.readouterr().err


def one_line_error(args: list[str], code: int, capsys: pytest.CaptureFixture[str]) -> str:
    assert main(args) == code
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1, err
    assert err.startswith("kg: ")
    return err


def test_missing_input_path_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "no-such-folder"
    for args in (["build", str(missing), "--out", str(tmp_path / "o")],
                 ["viz", str(missing)],
                 ["export", "--from", "embedded", str(missing), "--out", str(tmp_path / "x.ttl")]):
        err = one_line_error(args, 2, capsys)
        assert str(missing) in err and "does not exist" in err
    assert not (tmp_path / "o").exists()


@pytest.mark.parametrize("iri", ["not an iri", "https://example.org/kg", "https://ex ample/"])
def test_bad_base_iri_is_one_line(iri: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    err = one_line_error(["build", str(SEEDS), "--out", str(tmp_path / "o"), "--base-iri", iri], 2, capsys)
    assert "--base-iri" in err and "ending in / or #" in err
    assert not (tmp_path / "o").exists()


def test_unknown_query_name_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    for args in (["query", "no_such_query"], ["viz", "--query", "no_such_query"]):
        err = one_line_error(args, 1, capsys)
        assert "query named 'no_such_query'" in err and "represents_state" in err  # lists what exists


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_neo4j_not_running_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    for name in ("NEO4J_URI", "NEO4J_USER", "NEO4J_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("KG_NEO4J_HOME", str(tmp_path / "no-server-here"))
    err = one_line_error(["query", "most_connected"], 1, capsys)
    assert "kg neo4j start" in err
    uri = f"bolt://127.0.0.1:{_free_port()}"
    for args in (["query", "most_connected"], ["viz", "--query", "most_connected"], ["viz", "--from", "neo4j"]):
        err = one_line_error([*args, "--neo4j-uri", uri, "--neo4j-password", "x"], 1, capsys)
        assert f"cannot reach Neo4j at {uri}" in err


@pytest.mark.parametrize("depth", ["-1", "two"])
def test_bad_depth_is_one_line(depth: str, capsys: pytest.CaptureFixture[str]) -> None:
    err = one_line_error(["viz", str(SEEDS), "--around", "الكويت", "--depth", depth], 2, capsys)
    assert "--depth" in err and "kg viz --help" in err


def test_unknown_entity_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    err = one_line_error(["-q", "viz", str(SEEDS), "--around", "لا أحد", "--out", str(tmp_path / "x.html")], 1, capsys)
    assert "no entity named 'لا أحد'" in err


def test_build_goes_on_past_a_huge_integer_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A JSON line with a 5,000-digit integer once ended the whole build with a traceback and no output."""
    good = '{"id": "ok", "text": "قال وزير الخارجية الكويتي الشيخ صباح الخالد إن الاجتماع مهم."}'
    (tmp_path / "in.jsonl").write_text(good + '\n{"id": "x", "text": "نص", "n": ' + "9" * 5000 + "}\n",
                                       encoding="utf-8")
    assert main(["build", str(tmp_path / "in.jsonl"), "--out", str(tmp_path / "out")]) == 0
    out = capsys.readouterr()
    assert "articles: 1" in out.out and "skipped: 1" in out.out and "Traceback" not in out.err
    assert '"article":"ok"' in (tmp_path / "out" / "triples.jsonl").read_text(encoding="utf-8")


@pytest.mark.parametrize("content", ['@prefix ex: <https://example.org/> .\nex:a ex:b "unterminated .\n',
                                     '<https://example.org/a> <https://example.org/b> "' + "x" * (17 << 20) + '" .\n'],
                         ids=["syntax error", "literal over Oxigraph's 16 MiB buffer"])
def test_sparql_on_a_file_oxigraph_cannot_parse_is_one_line(content: str, tmp_path: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "graph.nt"
    path.write_text(content, encoding="utf-8")
    err = one_line_error(["sparql", "represents_state", str(path)], 1, capsys)
    assert f"{path}: cannot load it as nt (" in err


@pytest.mark.parametrize("verbose", [False, True])
def test_neo4j_driver_log_lines_only_with_verbose(verbose: bool) -> None:
    """The driver's «Transaction failed and will be retried» and defunct-connection lines are logging
    records; without -v they reach no terminal."""
    import subprocess
    import sys

    code = ("import logging, sys; from kg.cli import main; main(sys.argv[1:]); "
            "log = logging.getLogger('neo4j'); log.warning('Transaction failed and will be retried in 1s'); "
            "log.error('Failed to read from defunct connection')")
    args = ["-v"] if verbose else []
    result = subprocess.run([sys.executable, "-c", code, *args, "sparql", "--list"], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    shown = "will be retried" in result.stderr and "defunct connection" in result.stderr
    assert shown == verbose, result.stderr
