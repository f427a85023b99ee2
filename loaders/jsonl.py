"""JSON Lines corpora (`.jsonl`, `.jsonl.gz`): one article a line, read as a stream.

Each line holds `{"id", "title", "text", "date", "url", "source"}`. A bad line becomes a
`Skipped("file:line", reason)` and reading goes on; a truncated gzip stream becomes one
`Skipped(file, reason)` after the articles read before the damage. Two caps bound what a small file
can cost: a .gz stops once it inflates past MAX_INFLATION times its size (a few MB of zeros inflate to
gigabytes), and any file once MAX_BLANK_RUN blank lines in a row are met.
"""

from __future__ import annotations

import codecs
import gzip
import io
import json
import re
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from kg.errors import InputError
from kg.model import MAX_ID_CHARS, Article, Skipped, bounded_text

from .encoding import DEFAULT_MAX_BYTES, binary_reason, detect_encoding, sniff_bom
from .furniture import find_furniture
from .html import iso_date

_SURROGATE = re.compile("[\ud800-\udfff]")
_SNIFF_BYTES = 8192
_CHUNK = 1 << 16
# Wire copy inflates about 4 times (the shared corpus: 31 MB to 120 MB); the floor lets small files of
# repeated records through.
MAX_INFLATION = 50
MIN_INFLATED_CAP = 64 * 1024 * 1024
MAX_BLANK_RUN = 10_000


class _Inflating(io.RawIOBase):
    """A gzip stream that refuses to inflate past ``cap`` bytes, so a gzip bomb costs seconds, not an hour."""

    def __init__(self, path: Path, cap: int) -> None:
        self._inner = gzip.open(path, "rb")  # noqa: SIM115 - closed with this stream, by close()
        self._cap, self._read, self._path = cap, 0, path

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        # read1: what one step of inflating gives, so that the lines before a truncated stream's end are
        # handed on before the EOFError of the next step (readinto would fill the buffer or lose them)
        data = self._inner.read1(len(buffer))
        n = len(data)
        buffer[:n] = data
        self._read += n
        if self._read > self._cap:
            raise InputError(str(self._path), f"inflates to more than {self._cap:,} bytes, over {MAX_INFLATION} "
                                              f"times its size (a gzip bomb?): the rest is not read")
        return n

    def close(self) -> None:
        self._inner.close()
        super().close()


def _open(path: Path) -> IO[bytes]:
    if not path.name.lower().endswith(".gz"):
        return path.open("rb")
    cap = max(MIN_INFLATED_CAP, MAX_INFLATION * path.stat().st_size)
    return io.BufferedReader(_Inflating(path, cap), _CHUNK)


def jsonl_stem(path: Path) -> str:
    name = path.name
    for suffix in (".jsonl.gz", ".jsonl"):
        if name.lower().endswith(suffix):
            return name[: -len(suffix)]
    return path.stem


def _skip_rest_of_line(stream: IO[bytes], tail: bytes) -> None:
    while tail and not tail.endswith(b"\n"):
        tail = stream.readline(_CHUNK)


def _byte_lines(stream: IO[bytes], name: str, max_bytes: int) -> Iterator[tuple[int, str | Skipped]]:
    """(line number, decoded line or Skipped) for an 8-bit or UTF-8 stream."""
    codec: str | None = None  # fixed by the first line that is not ASCII
    lineno = 0
    while True:
        raw = stream.readline(max_bytes + 1)
        if not raw:
            return
        lineno += 1
        where = f"{name}:{lineno}"
        if len(raw) > max_bytes and not raw.endswith(b"\n"):
            _skip_rest_of_line(stream, raw)
            yield lineno, Skipped(where, f"record too large (over {max_bytes:,} bytes)")
            continue
        if lineno == 1 and raw.startswith(codecs.BOM_UTF8):
            raw = raw[len(codecs.BOM_UTF8) :]
        if raw.isascii():
            yield lineno, raw.decode("ascii")
            continue
        if codec is None:
            try:
                codec = detect_encoding(raw)
            except ValueError as err:
                yield lineno, Skipped(where, str(err))
                continue
        try:
            yield lineno, raw.decode(codec)
        except UnicodeDecodeError as err:
            yield lineno, Skipped(where, f"invalid {codec.upper()} at byte {err.start} of the line")


def _wide_lines(
    stream: IO[bytes], codec: str, name: str, max_bytes: int
) -> Iterator[tuple[int, str | Skipped]]:
    """(line number, line) for a UTF-16/32 stream with a BOM; a decoding error ends the file."""
    text = io.TextIOWrapper(stream, encoding=codec, newline="")
    lineno = 0
    try:
        for lineno, line in enumerate(text, 1):  # noqa: B007 - lineno is used after the loop
            if len(line) * 2 > max_bytes:
                yield lineno, Skipped(f"{name}:{lineno}", f"record too large (over {max_bytes:,} bytes)")
            else:
                yield lineno, line
    except UnicodeDecodeError as err:
        raise InputError(name, f"invalid {codec.upper()} after line {lineno}: {err.reason}") from err
    finally:
        text.detach()


def _lines(stream: IO[bytes], name: str, max_bytes: int) -> Iterator[tuple[int, str | Skipped]]:
    head = stream.peek(_SNIFF_BYTES)[:_SNIFF_BYTES]  # type: ignore[attr-defined]
    bom = sniff_bom(head)
    if bom is not None and bom[0] != "utf-8":
        wide = "utf-16" if bom[0].startswith("utf-16") else "utf-32"
        yield from _wide_lines(stream, wide, name, max_bytes)
        return
    reason = binary_reason(head, nul_is_binary=False)
    if reason:
        raise InputError(name, reason)
    yield from _byte_lines(stream, name, max_bytes)


def parse_record(line: str, where: str, stem: str, lineno: int, path: str) -> Article | Skipped:
    """One JSON line as an Article, or Skipped(where, reason)."""
    try:
        rec = json.loads(line)
    except json.JSONDecodeError as err:  # «Invalid control character at»: the message ends where the column goes
        return Skipped(where, f"not JSON: {err.msg.removesuffix(' at')} at column {err.colno}")
    except RecursionError:
        return Skipped(where, "not JSON: nested too deeply")
    except ValueError:  # Python refuses to convert an integer of more than 4,300 digits
        return Skipped(where, "not JSON that can be read: a number of more than 4,300 digits")
    if not isinstance(rec, dict):
        return Skipped(where, f"not a JSON object but a {type(rec).__name__}")
    text = rec.get("text")
    if not isinstance(text, str) or not text.strip():
        return Skipped(where, "missing or empty 'text'")
    title = rec.get("title") if isinstance(rec.get("title"), str) else ""
    for field_name, value in (("text", text), ("title", title)):  # the message names the field at fault
        if _SURROGATE.search(value):
            return Skipped(where, f"'{field_name}' holds unpaired UTF-16 surrogate escapes")
    rid = rec.get("id")
    rid = str(rid) if isinstance(rid, str | int) else ""
    if not rid.strip() or _SURROGATE.search(rid) or len(rid) > MAX_ID_CHARS:  # kept under its line's id
        rid = f"{stem}:{lineno}"
    url, source = rec.get("url"), rec.get("source")
    text, whole = bounded_text(text)
    return Article(
        id=rid,
        text=text,
        title=title.strip(),
        date=iso_date(rec.get("date")),
        url=url if isinstance(url, str) and url else None,
        source=source if isinstance(source, str) and source else None,
        path=where,
        furniture=find_furniture(text),
        cut_from=whole,
    )


def iter_jsonl(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[Article | Skipped]:
    """Stream the articles of one .jsonl or .jsonl.gz file; never raises for bad input."""
    name = str(path)
    stem = jsonl_stem(path)
    lineno = records = blanks = 0
    try:
        with _open(path) as stream:
            for lineno, line in _lines(stream, name, max_bytes):
                if isinstance(line, str) and not line.strip():
                    blanks += 1
                    if blanks >= MAX_BLANK_RUN:
                        raise InputError(name, f"{MAX_BLANK_RUN:,} blank lines in a row after line "
                                               f"{lineno - blanks}: the rest is not read")
                    continue
                records, blanks = records + 1, 0
                yield line if isinstance(line, Skipped) else parse_record(line, f"{name}:{lineno}", stem, lineno,
                                                                          name)
    except InputError as err:
        yield Skipped(err.path, err.reason)
        return
    except (EOFError, gzip.BadGzipFile, zlib.error) as err:
        what = "truncated gzip" if isinstance(err, EOFError) else "corrupt gzip"
        yield Skipped(name, f"{what} after line {lineno}: {err}".splitlines()[0])
        return
    except OSError as err:
        yield Skipped(name, f"cannot read after line {lineno}: {err.strerror or err}".splitlines()[0])
        return
    if records == 0:
        yield Skipped(name, "empty file (no JSON lines)")
