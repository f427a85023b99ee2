"""Plain-text articles: one article a file, the title on its first line."""

from __future__ import annotations

from pathlib import Path

from kg.model import Article, Span, bounded_text

from .encoding import DEFAULT_MAX_BYTES, decode, read_limited
from .furniture import find_furniture


def first_title_line(text: str, furniture: tuple[Span, ...] = ()) -> str:
    """The first non-empty line that is not wholly page furniture (else the first non-empty line)."""
    first = ""
    pos = 0
    for line in text.splitlines(keepends=True):
        stripped = line.strip()
        if stripped:
            lead = pos + len(line) - len(line.lstrip())
            end = lead + len(stripped)
            if not any(s.start <= lead and end <= s.end for s in furniture):
                return stripped
            first = first or stripped
        pos += len(line)
    return first


def load_text(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> Article:
    """Read one .txt article; raises InputError for empty, binary, oversize or undecodable files."""
    text, whole = bounded_text(decode(read_limited(path, max_bytes), str(path)))
    furniture = find_furniture(text)
    return Article(
        id=path.name[: -len(".txt")] if path.name.lower().endswith(".txt") else path.stem,
        text=text,
        title=first_title_line(text, furniture),
        date=None,
        path=str(path),
        furniture=furniture,
        cut_from=whole,
    )
