"""Reading and decoding input files: BOM first, then strict UTF-8, then Windows-1256.

Every failure is an `InputError(path, one-line reason)`; the caller turns it into a `Skipped`.
Decoding never normalises: no newline translation, no Unicode normalisation; only a leading
byte-order mark is dropped, so character offsets point into the text as the file held it.
"""

from __future__ import annotations

import codecs
from pathlib import Path

from charset_normalizer import from_bytes

from kg.errors import InputError

DEFAULT_MAX_BYTES = 50 * 1024 * 1024

# Longest BOM first: the UTF-32 LE BOM starts with the UTF-16 LE one.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Legacy Arabic code pages worth trying when a file is not UTF-8. charset-normalizer picks among
# them by how plausible the decoded text is; anything else is rejected as undecodable.
LEGACY_CANDIDATES: tuple[str, ...] = ("cp1256", "iso8859_6")

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"%PDF-", "PDF document"),
    (b"PK\x03\x04", "ZIP archive (or an Office document)"),
    (b"\x1f\x8b", "gzip data (name it .jsonl.gz if it holds JSON Lines)"),
    (b"\x7fELF", "executable"),
)

# C0 controls other than tab, LF, VT, FF, CR, plus DEL: text files hardly ever hold them.
_CONTROL_BYTES = bytes([*range(0x00, 0x09), *range(0x0E, 0x20), 0x7F])
_DROP_CONTROLS = dict.fromkeys(_CONTROL_BYTES)  # str.translate table deleting them
_SAMPLE = 1 << 20
MAX_CONTROL_SHARE = 0.02


def read_limited(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """The bytes of `path`, refusing files larger than `max_bytes` before reading them."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise InputError(str(path), f"file too large ({size:,} bytes; the limit is {max_bytes:,})")
        with path.open("rb") as fh:
            data = fh.read(max_bytes + 1)
    except OSError as err:
        raise InputError(str(path), f"cannot read: {err.strerror or err}") from err
    if len(data) > max_bytes:  # grew while we looked
        raise InputError(str(path), f"file too large (over {max_bytes:,} bytes)")
    return data


def sniff_bom(data: bytes) -> tuple[str, int] | None:
    """(codec, BOM length) when `data` starts with a byte-order mark."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return codec, len(bom)
    return None


def binary_reason(data: bytes, *, nul_is_binary: bool = True) -> str | None:
    """Why `data` (undecoded, without BOM) looks like a binary file, or None if it may be text.

    `nul_is_binary=False` lets a few NUL bytes pass (one bad line of a JSON Lines file is that
    line's problem, not the whole file's); a high share of control bytes still counts as binary.
    """
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            return f"binary file ({kind})"
    if nul_is_binary and b"\x00" in data:
        return "binary file (holds NUL bytes; UTF-16 text needs a byte-order mark)"
    controls = len(data) - len(data.translate(None, _CONTROL_BYTES))
    if controls > MAX_CONTROL_SHARE * len(data):
        return f"binary file ({controls} control bytes in {len(data)})"
    return None


def _text_control_reason(text: str) -> str | None:
    controls = len(text) - len(text.translate(_DROP_CONTROLS))
    if controls > MAX_CONTROL_SHARE * max(len(text), 1) or "\x00" in text:
        return f"binary content ({controls} control characters in {len(text)})"
    return None


def _mostly_utf8(data: bytes) -> bool:
    """True when `data` is UTF-8 with a few broken bytes (a damaged UTF-8 file, not a legacy one)."""
    text = data[:_SAMPLE].decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    good = len(text) - len(text.encode("ascii", errors="ignore")) - bad
    return good > 0 and bad <= 0.05 * good


def detect_encoding(data: bytes) -> str:
    """The codec for `data` (no BOM): 'utf-8', or a legacy Arabic code page from LEGACY_CANDIDATES.

    Raises ValueError with a one-line reason when neither fits.
    """
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as err:
        utf8_error = err
    if _mostly_utf8(data):
        raise ValueError(f"invalid UTF-8 at byte {utf8_error.start}")
    results = from_bytes(data, cp_isolation=list(LEGACY_CANDIDATES))
    matches = [m for m in results if m.encoding in LEGACY_CANDIDATES]
    if not matches:
        raise ValueError("undecodable text (neither UTF-8, UTF-16 with BOM, nor Windows-1256)")
    # equally plausible readings are common on short texts: prefer the earlier (commoner) code page
    least = min(m.chaos for m in matches)
    plausible = [m.encoding for m in matches if m.chaos <= least + 0.01]
    return min(plausible, key=LEGACY_CANDIDATES.index)


def decode(data: bytes, path: str) -> str:
    """Decode a whole file's bytes; raises InputError(path, reason) for empty, binary or undecodable data."""
    if not data:
        raise InputError(path, "empty file")
    bom = sniff_bom(data)
    if bom is not None:
        codec, skip = bom
        try:
            text = data[skip:].decode(codec)
        except UnicodeDecodeError as err:
            raise InputError(path, f"invalid {codec.upper()} at byte {err.start + skip}") from err
        reason = _text_control_reason(text)
        if reason:
            raise InputError(path, reason)
        if not text.strip():
            raise InputError(path, "empty file (only a byte-order mark and white space)")
        return text
    reason = binary_reason(data)
    if reason:
        raise InputError(path, reason)
    try:
        codec = detect_encoding(data)
    except ValueError as err:
        raise InputError(path, str(err)) from err
    text = data.decode(codec)
    if not text.strip():
        raise InputError(path, "empty file (only white space)")
    return text
