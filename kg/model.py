"""Typed records passed between pipeline stages (load -> extract -> resolve -> graph -> export).

Stages never share mutable state: each takes these records and returns new ones, which keeps
parallel extraction deterministic.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kg.errors import printable

# Every field of an article becomes an RDF term, and Oxigraph's parser refuses a term over 16 MiB: titles and
# sources are cut at MAX_TITLE_CHARS, a longer id is replaced by the record's place (loaders/jsonl.py), a longer
# URL is dropped (a cut one would point elsewhere).
MAX_TITLE_CHARS = 1_000
MAX_ID_CHARS = 500
MAX_URL_CHARS = 8_000
# The longest article in 41,000 wire stories is 34,000 characters; extraction reads about 250,000 characters a
# second, so a text past this bound is a dump or a scraping accident, and reading all of a 50 MB one would
# cost minutes. Such a text is cut (at a line break when one is near) and the build says so in one line.
MAX_TEXT_CHARS = 1_000_000
# CPU seconds the extraction of one article may take (kg.parallel.time_budget): an article of MAX_TEXT_CHARS
# takes about 5 s, a typical one 4 ms. CPU time and not wall time, so that a busy machine skips no article
# that a quiet one reads.
DEFAULT_TIME_BUDGET = 30.0
ENTITY_TYPES = ("Person", "State", "Organization", "Meeting", "Resolution", "Document", "Place")

PREDICATES = (
    "REPRESENTS",
    "PARTICIPATED_IN",
    "HOSTED_BY",
    "CONVENED_BY",
    "CHAIRED_BY",
    "HELD_IN",
    "ADOPTED_BY",
    "ESTABLISHES",
    "ISSUED",
    "DISCUSSED",
    "PRESENTED_BY",
    "MEMBER_OF",
    "PART_OF",
    "NEGOTIATED_BY",
    "OPERATES_IN",
    "LOCATED_IN",
    "CITES",
)


@dataclass(frozen=True)
class Span:
    """A half-open character range [start, end) into an article's original text."""

    start: int
    end: int
    label: str = ""


@dataclass(frozen=True)
class Article:
    """One article as loaded: `text` is exactly what the file held, so offsets stay valid.

    `furniture` marks page furniture (cookie notices, editor credits, placeholder dates):
    the extractor yields nothing from those spans, but they stay in `text` so that every
    offset still points into the original.
    """

    id: str
    text: str
    title: str = ""
    date: str | None = None  # ISO YYYY-MM-DD when known
    url: str | None = None
    source: str | None = None
    path: str = ""
    furniture: tuple[Span, ...] = ()
    cut_from: int = 0  # the length of the text before `bounded_text` cut it; 0 for a whole text

    def __post_init__(self) -> None:
        # a title is a line a person reads: a .txt file's 16 MiB first line made a Turtle literal that
        # Oxigraph cannot parse, so every loader's fields are bounded here, in one place
        for name in ("title", "source"):
            value = getattr(self, name)
            if value and len(value) > MAX_TITLE_CHARS:
                object.__setattr__(self, name, value[:MAX_TITLE_CHARS].rstrip() + "…")
        if self.url and len(self.url) > MAX_URL_CHARS:
            object.__setattr__(self, "url", None)


def bounded_text(text: str) -> tuple[str, int]:
    """``text`` cut to MAX_TEXT_CHARS, with its length before the cut (0 when it was whole).

    Loaders cut before they look for furniture or a title, so no stage ever sees more than the bound;
    the cut is at the last line break in the final tenth when there is one, so no sentence is halved.
    """
    if len(text) <= MAX_TEXT_CHARS:
        return text, 0
    end = text.rfind("\n", MAX_TEXT_CHARS * 9 // 10, MAX_TEXT_CHARS)
    return text[: end + 1 if end >= 0 else MAX_TEXT_CHARS], len(text)


@dataclass(frozen=True)
class Skipped:
    """A file (or record inside a file) that could not be loaded, with a one-line reason."""

    path: str
    reason: str

    def __str__(self) -> str:
        return f"{printable(self.path)}: {printable(self.reason)}"


@dataclass(frozen=True)
class Evidence:
    """Where a fact was read: article, the sentence text, its offsets, the rule and a confidence."""

    article: str
    sentence: str
    start: int
    end: int
    rule: str
    confidence: float


@dataclass
class Entity:
    """A resolved entity. `id` is the Wikidata QID when known, else a deterministic key."""

    id: str
    type: str
    name: str
    aliases: set[str] = field(default_factory=set)
    wikidata: str | None = None
    attrs: dict[str, str] = field(default_factory=dict)  # e.g. number/year for resolutions, date for meetings
    # where the article names it: (start, end, surface) with text[start:end] == surface, in text order
    mentions: tuple[tuple[int, int, str], ...] = ()


@dataclass(frozen=True)
class Triple:
    """One directed fact with its provenance. `properties` holds e.g. the role and date of REPRESENTS."""

    subject: str  # entity id
    predicate: str
    object: str  # entity id
    evidence: Evidence
    properties: tuple[tuple[str, str], ...] = ()


@dataclass
class Extraction:
    """Everything read from one article: its entities (by id) and triples."""

    article: Article
    entities: dict[str, Entity]
    triples: list[Triple]
