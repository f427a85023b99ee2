"""HTML pages: the main text, title and date as extracted by trafilatura."""

from __future__ import annotations

import logging
import re
from pathlib import Path

from kg.errors import InputError
from kg.model import Article, bounded_text

from .encoding import DEFAULT_MAX_BYTES, decode, read_limited
from .furniture import find_furniture

_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")
PLACEHOLDER_DATES = frozenset({"1970-01-01"})


def iso_date(value: object) -> str | None:
    """`YYYY-MM-DD` from a date-like string (a time part is dropped), None for unknown or placeholder."""
    if not isinstance(value, str):
        return None
    m = _ISO_DATE.match(value.strip())
    if not m or m.group(0) in PLACEHOLDER_DATES:
        return None
    return m.group(0)


def load_html(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> Article:
    """Read one .html/.htm page; raises InputError when it cannot be read or holds no main text."""
    import trafilatura  # slow to import: only when an HTML file is met

    markup = decode(read_limited(path, max_bytes), str(path))
    logging.getLogger("trafilatura").setLevel(logging.ERROR)
    try:
        doc = trafilatura.bare_extraction(
            markup, with_metadata=True, include_comments=False, include_tables=True, deduplicate=False
        )
    except Exception as err:  # trafilatura/lxml raise many types on broken markup
        reason = f"HTML extraction failed: {type(err).__name__}: {err}".splitlines()[0]
        raise InputError(str(path), reason) from err
    text = getattr(doc, "text", None) if doc is not None else None
    if not text or not text.strip():
        raise InputError(str(path), "no main text found in the HTML page")
    text, whole = bounded_text(text)
    furniture = find_furniture(text)
    title = (getattr(doc, "title", None) or "").strip()
    if not title:
        title = next((line.strip() for line in text.splitlines() if line.strip()), "")
    return Article(
        id=path.stem,
        text=text,
        title=title,
        date=iso_date(getattr(doc, "date", None)),
        url=getattr(doc, "url", None) or None,
        source=getattr(doc, "sitename", None) or None,
        path=str(path),
        furniture=furniture,
        cut_from=whole,
    )
