"""The README's commands run as written (issue 15): every line of its ``sh`` blocks, in bash, in a scratch copy
of the repository, block after block, exits 0. A line whose comment ends in a marker is skipped, and said to be:
``[neo4j]`` needs a server, ``[network]`` the network or a cluster, ``[shared]`` ../shared (run when it is
there), ``[slow]`` minutes of work."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

README = ROOT / "README.md"
SHARED = ROOT.parent / "shared"
BLOCK = re.compile(r"^```sh\n(.*?)^```", re.S | re.M)
MARKER = re.compile(r"#.*\[(neo4j|network|shared|slow)\]\s*$")


def blocks() -> list[tuple[int, str]]:
    """(line number in the README, text) of each sh block, in order."""
    text = README.read_text(encoding="utf-8")
    return [(text[:m.start()].count("\n") + 1, m.group(1)) for m in BLOCK.finditer(text)]


def runnable(block: str) -> tuple[str, list[str]]:
    """The block as a script, with each marked line replaced by a no-op; and the lines skipped, with why."""
    lines, skipped = [], []
    for line in block.splitlines():
        m = MARKER.search(line)
        if m and not (m.group(1) == "shared" and SHARED.is_dir()):
            skipped.append(f"[{m.group(1)}] {line.split('#')[0].strip()}")
            line = ":"
        lines.append(line)
    return "\n".join(lines) + "\n", skipped


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A scratch copy of what the README's commands read, beside ../shared, with the venv the suite runs in."""
    base = tmp_path_factory.mktemp("readme")
    repo = base / "repo"
    repo.mkdir()
    for name in ("seeds", "queries", "schema"):
        shutil.copytree(ROOT / name, repo / name)
    (repo / ".venv").symlink_to(Path(sys.prefix), target_is_directory=True)
    if SHARED.is_dir():
        (base / "shared").symlink_to(SHARED, target_is_directory=True)
    # the example inputs the blocks name
    shutil.copytree(ROOT / "seeds", repo / "articles")
    (repo / "my-gazetteers").mkdir()
    (repo / "input.conll").write_text("أكد\nالمندوب\nالدائم\nلدولة\nالكويت\n\nمنصور\nالعتيبي\n", encoding="utf-8")
    (repo / "my.rq").write_text("PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
                                "SELECT ?s WHERE { ?s rdfs:label ?l FILTER(STR(?l) = $name) }\n", encoding="utf-8")
    return repo


def test_the_readme_has_shell_blocks_and_markers() -> None:
    found = blocks()
    assert len(found) >= 10
    marked = [line for _, block in found for line in block.splitlines() if MARKER.search(line)]
    assert any("[neo4j]" in line for line in marked) and any("[network]" in line for line in marked)


@pytest.mark.parametrize("line, block", blocks(), ids=[f"README.md:{n}" for n, _ in blocks()])
def test_readme_block_runs(line: int, block: str, workspace: Path, tmp_path: Path) -> None:
    script, skipped = runnable(block)
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}
    env["KG_NEO4J_HOME"] = str(tmp_path / "no-neo4j")  # no command may reach a developer's own server
    # the shell of a reader who ran the first block's `. .venv/bin/activate`
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    proc = subprocess.run(["bash", "-e", "-o", "pipefail", "-c", script], cwd=workspace, env=env,
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, f"README.md:{line}: exit {proc.returncode}\n{proc.stdout[-2000:]}\n{proc.stderr[-3000:]}"
    for what in skipped:
        print(f"README.md:{line}: skipped {what}")
