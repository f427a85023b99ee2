"""A corpus of hostile inputs, written at test time (small, no corpus text), each with what `kg build` says of it.

``CASES`` maps a case name to how it is made and the one line expected for it. ``make(folder)`` writes the
case into ``folder`` and returns the path the message names. ``line`` is the text expected in the build's
output, or None for an input that is read with nothing to say (an encoding that decodes, a date repaired);
``where`` is the output the line goes to: "stderr" for a skipped input, "stdout" for the summary's renamed
lines. Every case gets its own folder with a good file beside it, and every JSON record its own id, so that
all the cases can be built at once.

    python -m tests.hostile_inputs FOLDER    # writes every case into FOLDER/<case>/, to try by hand
"""

from __future__ import annotations

import codecs
import gzip
import itertools
import json
import os
import sys
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

TEXT = "قال وزير الخارجية القطري محمد بن عبدالرحمن آل ثاني إن الدوحة تدعم الحوار.\n"
OTHER = "أكد الأمين العام للأمم المتحدة أنطونيو غوتيريش دعمه للحوار.\n"
_IDS = itertools.count(1)


def _record(**fields: object) -> str:
    return json.dumps({"id": f"r{next(_IDS)}", "title": "عنوان", "text": OTHER, **fields}, ensure_ascii=False)


def _write(name: str, data: bytes | str) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        path = folder / name
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        return path
    return make


def _gzip(name: str, data: bytes) -> Callable[[Path], Path]:
    return _write(name, gzip.compress(data))


def _truncated_gzip(name: str, records: int) -> tuple[Callable[[Path], Path], int]:
    """Half of a gzip of ``records`` JSON lines, and how many whole lines that half inflates to (read by zlib
    itself, not by the loaders under test)."""
    blob = gzip.compress(("\n".join(_record() for _ in range(records)) + "\n").encode("utf-8"))
    half = blob[: len(blob) // 2]
    return _write(name, half), zlib.decompressobj(wbits=31).decompress(half).count(b"\n")


_TRUNCATED, _TRUNCATED_RECORDS = _truncated_gzip("cut.jsonl.gz", 200)


def _fifo(folder: Path) -> Path:
    os.mkfifo(folder / "pipe.txt")
    return folder / "pipe.txt"


def _symlink_loop(folder: Path) -> Path:
    (folder / "loop_a.txt").symlink_to("loop_b.txt")
    (folder / "loop_b.txt").symlink_to("loop_a.txt")
    (folder / "up").symlink_to("..", target_is_directory=True)  # a folder loop: links are not followed
    return folder / "loop_a.txt"


def _unreadable_dir(folder: Path) -> Path:
    locked = folder / "locked"
    locked.mkdir()
    (locked / "inside.txt").write_text(OTHER, encoding="utf-8")
    locked.chmod(0)
    return locked


def _oversize(folder: Path) -> Path:
    path = folder / "huge.txt"
    with path.open("wb") as fh:  # sparse: the size is refused before a byte is read
        fh.truncate(60 * 1024 * 1024)
    return path


def _duplicates(same: bool) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        rid = "dup-same" if same else "dup-other"
        lines = [_record(id=rid), _record(id=rid, text=OTHER if same else TEXT + "وأضاف أن الاجتماع مهم.\n")]
        (folder / "dups.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
        return folder / "dups.jsonl"
    return make


@dataclass(frozen=True)
class Case:
    make: Callable[[Path], Path]
    line: str | None  # the expected message after "<path>:" or "<path>:line:"; None when read without a word
    where: str = "stderr"
    articles: int = 1  # articles read from the case


CASES: dict[str, Case] = {
    "empty": Case(_write("empty.txt", b""), "empty file", articles=0),
    "white space": Case(_write("blank.txt", " \n\t\n"), "empty file (only white space)", articles=0),
    "binary": Case(_write("image.txt", b"\x89PNG\r\n\x1a\n" + bytes(range(256))), "binary file (PNG image)",
                   articles=0),
    "NUL": Case(_write("nul.txt", TEXT.encode("utf-8") + b"\x00\x00" + TEXT.encode("utf-8")),
                "binary file (holds NUL bytes; UTF-16 text needs a byte-order mark)", articles=0),
    "cp1256": Case(_write("legacy.txt", OTHER.encode("cp1256")), None),
    "UTF-16 with BOM": Case(_write("wide-bom.txt", codecs.BOM_UTF16_LE + OTHER.encode("utf-16-le")), None),
    "UTF-16 without BOM": Case(_write("wide-no-bom.txt", OTHER.encode("utf-16-le")),
                               "binary file (holds NUL bytes; UTF-16 text needs a byte-order mark)", articles=0),
    "broken UTF-8": Case(_write("broken.txt", OTHER.encode("utf-8") + b"\xff\xfe" + OTHER.encode("utf-8")),
                         "invalid UTF-8 at byte", articles=0),
    "surrogate in text": Case(_write("sur.jsonl", _record(text="نص \\ud800 نص").replace("\\\\ud800", "\\ud800")),
                              "'text' holds unpaired UTF-16 surrogate escapes", articles=0),
    "JSON list": Case(_write("list.jsonl", "[1, 2]\n"), "not a JSON object but a list", articles=0),
    "text not a string": Case(_write("num.jsonl", '{"id": "x", "text": 5}\n'), "missing or empty 'text'",
                              articles=0),
    "not JSON": Case(_write("bad.jsonl", _record() + '\n{"id": "x", "text": "a\x01b"}\n'),
                     "not JSON: Invalid control character at column"),
    "deep nesting": Case(_write("deep.jsonl", "[" * 100_000 + "]" * 100_000 + "\n"), "not JSON: nested too deeply",
                         articles=0),
    "huge int": Case(_write("int.jsonl", _record() + "\n" + '{"id": "x", "text": "نص", "n": ' + "9" * 5000 + "}\n"),
                     "not JSON that can be read: a number of more than 4,300 digits"),
    "truncated gzip": Case(_TRUNCATED, f"truncated gzip after line {_TRUNCATED_RECORDS}", articles=_TRUNCATED_RECORDS),
    "gzip of newlines": Case(_gzip("newlines.jsonl.gz", (_record() + "\n").encode("utf-8") + b"\n" * 2_000_000),
                             "10,000 blank lines in a row after line 1: the rest is not read"),
    "not gzip": Case(_write("plain.jsonl.gz", _record() + "\n"), "corrupt gzip after line 0", articles=0),
    "oversize": Case(_oversize, "file too large (62,914,560 bytes; the limit is 52,428,800)", articles=0),
    "symlink loop": Case(_symlink_loop, "cannot read: Too many levels of symbolic links", articles=0),
    "FIFO": Case(_fifo, "not a regular file (a named pipe, socket or device): not read", articles=0),
    "unreadable folder": Case(_unreadable_dir, "cannot list folder: Permission denied", articles=0),
    "newline in name": Case(_write("bad\nname.txt", b""), "empty file", articles=0),
    "ESC in name": Case(_write("esc\x1b[31m.txt", b""), "empty file", articles=0),
    "bidi control in name": Case(_write("rtl\u202etxt.exe.txt", b""), "empty file", articles=0),
    "duplicate text": Case(_duplicates(same=True), "duplicate of article 'dup-same' read from"),
    "duplicate id": Case(_duplicates(same=False), "article id 'dup-other' is already used by", where="stdout", articles=2),
    "9999-12-31": Case(_write("late.jsonl", _record(date="9999-12-31", text="وقال الوزير إن الاجتماع سيعقد غدا.\n")),
                       None),
    "huge title": Case(_write("title.txt", "عنوان " * 20_000 + "\n" + TEXT), None),
}


def slug(name: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in name)


def good_id(name: str) -> str:
    """The id of the good file beside case ``name``: it must be read whatever the case does."""
    return f"good-{slug(name)}"


def write_cases(root: Path) -> dict[str, Path]:
    """Every case in its folder ``root/<slug>/`` beside its good file; the path each case's message names."""
    named = {}
    for name, case in CASES.items():
        folder = root / slug(name)
        folder.mkdir(parents=True)
        (folder / f"{good_id(name)}.txt").write_text(TEXT, encoding="utf-8")
        named[name] = case.make(folder)
    return named


if __name__ == "__main__":
    for path in write_cases(Path(sys.argv[1])).values():
        print(path)
