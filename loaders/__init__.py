"""Article loaders: plain text, JSON Lines (optionally gzipped) and HTML, in any of the usual encodings.

    for item in iter_articles(["seeds", "corpus.jsonl.gz"]):
        if isinstance(item, Skipped):
            print(item)          # "path: one-line reason"
        else:
            ...                  # an Article with `furniture` filled in

Folders are walked recursively, their files in path order; each file is read on its own, and
JSON Lines files as a stream, so memory does not grow with the corpus. Nothing here raises for
bad input: an empty, binary, oversize, undecodable or malformed file (or JSON line) becomes a
`Skipped` and loading goes on with the next one.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from kg.errors import InputError
from kg.model import Article, Skipped

from .encoding import DEFAULT_MAX_BYTES
from .furniture import find_furniture
from .html import load_html
from .jsonl import iter_jsonl
from .text import load_text

__all__ = ["DEFAULT_MAX_BYTES", "SUPPORTED_SUFFIXES", "find_furniture", "iter_articles", "loader_for"]

SUPPORTED_SUFFIXES = (".txt", ".jsonl", ".jsonl.gz", ".html", ".htm")

# Files that are obviously not articles: inside a folder they are passed over without a word.
IGNORED_NAMES = frozenset({"thumbs.db", "desktop.ini", "license", "licence", "readme", "makefile"})
IGNORED_SUFFIXES = frozenset(
    {
        ".md", ".rst", ".log", ".lock", ".bak", ".tmp", ".swp", ".swo", ".orig", ".pyc", ".py",
        ".css", ".js", ".map", ".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".ico", ".bmp",
        ".woff", ".woff2", ".ttf", ".otf", ".eot", ".md5", ".sha1", ".sha256", ".sig", ".asc",
    }
)  # fmt: skip


def _suffix(path: Path) -> str:
    name = path.name.lower()
    return ".jsonl.gz" if name.endswith(".jsonl.gz") else path.suffix.lower()


def _ignored(path: Path) -> bool:
    name = path.name.lower()
    return (
        name.startswith(".")
        or name.endswith("~")
        or path.suffix.lower() in IGNORED_SUFFIXES
        or name in IGNORED_NAMES
        or path.stem.lower() in IGNORED_NAMES
    )


def loader_for(path: Path) -> Callable[[Path, int], Iterator[Article | Skipped]] | None:
    """The loader for a file's suffix, or None if the type is not supported."""
    suffix = _suffix(path)
    if suffix in (".jsonl", ".jsonl.gz"):
        return iter_jsonl
    if suffix == ".txt":
        return _single(load_text)
    if suffix in (".html", ".htm"):
        return _single(load_html)
    return None


def _single(load: Callable[[Path, int], Article]) -> Callable[[Path, int], Iterator[Article | Skipped]]:
    def run(path: Path, max_bytes: int) -> Iterator[Article | Skipped]:
        try:
            yield load(path, max_bytes)
        except InputError as err:
            yield Skipped(err.path, err.reason)

    return run


def _walk(folder: Path) -> tuple[list[Path], list[Skipped]]:
    """Every candidate file under `folder`, hidden folders left out, sorted by path; and the folders that
    could not be listed (no permission), which the caller reports rather than passing over in silence."""
    found: list[Path] = []
    unreadable: list[Skipped] = []

    def report(err: OSError) -> None:
        unreadable.append(Skipped(str(err.filename or folder), f"cannot list folder: {err.strerror or err}"))

    for root, dirs, files in os.walk(folder, onerror=report):
        dirs[:] = [d for d in dirs if not d.startswith(".") and d != "__pycache__"]
        found.extend(Path(root, f) for f in files)
    return sorted(found, key=lambda p: p.relative_to(folder).parts), unreadable


def _not_a_file(path: Path) -> str:
    """Why a path that is no regular file is not read: a named pipe would block the read forever, a socket
    or device is no article, and a symbolic link may loop or point nowhere."""
    try:
        path.stat()
    except OSError as err:
        return f"cannot read: {err.strerror or err}"
    return "not a regular file (a named pipe, socket or device): not read"


def _load_file(path: Path, max_bytes: int, explicit: bool) -> Iterator[Article | Skipped]:
    if not path.is_file():
        yield Skipped(str(path), _not_a_file(path))
        return
    load = loader_for(path)
    if load is None:
        if explicit or not _ignored(path):
            yield Skipped(str(path), f"unsupported file type {path.suffix or path.name!r} "
                                     f"(expected one of {', '.join(SUPPORTED_SUFFIXES)})")
        return
    if not explicit and _ignored(path):
        return
    yield from load(path, max_bytes)


def iter_articles(
    paths: Iterable[str | Path] | str | Path, *, max_bytes: int = DEFAULT_MAX_BYTES
) -> Iterator[Article | Skipped]:
    """Stream the articles of files and folders (recursively, in path order), one at a time.

    `max_bytes` caps a .txt/.html file and one JSON line. Never raises for bad input: every
    file or record that cannot be read is yielded as a `Skipped` with a one-line reason.
    """
    if isinstance(paths, str | Path):
        paths = [paths]
    for given in paths:
        path = Path(given)
        if path.is_dir():
            files, unreadable = _walk(path)
            for file in files:
                yield from _load_file(file, max_bytes, explicit=False)
            yield from unreadable
        else:
            yield from _load_file(path, max_bytes, explicit=True)
