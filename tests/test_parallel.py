"""Parallel extraction gives byte-identical outputs: worker processes and a dask LocalCluster vs one process."""

from __future__ import annotations

import gc
import gzip
import json
from pathlib import Path

import pytest

from kg.errors import KGError
from kg.memory import BULK_THRESHOLDS, bulk_gc
from kg.parallel import extract_all
from kg.pipeline import build, build_graph
from tests.conftest import SEEDS

SYNTHETIC = [
    "أعلن وزير الخارجية الكويتي الشيخ أحمد ناصر المحمد الصباح أن الكويت ستستضيف اجتماعا لمجلس التعاون الخليجي.",
    "قال الأمين العام للأمم المتحدة أنطونيو غوتيريش إن مجلس الأمن تبنى القرار 2254 لعام 2015.",
    "شارك مندوب المملكة العربية السعودية في الاجتماع الذي عقد في الرياض برئاسة وزير الخارجية.",
    "استقبل الرئيس التونسي وفدا من جامعة الدول العربية في قصر قرطاج.",
    "أدانت الإمارات الهجوم الإرهابي الذي تبناه تنظيم داعش في العراق.",
]


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """The seeds, a small synthetic corpus, and bad input (malformed lines, an empty file, a binary one)."""
    folder = tmp_path_factory.mktemp("parallel-in")
    lines = [json.dumps({"id": f"syn-{i}", "title": text[:20], "text": text, "date": "2020-01-0" + str(i % 9 + 1),
                         "source": "test"}, ensure_ascii=False) for i, text in enumerate(SYNTHETIC * 8)]
    lines.insert(7, "{not json")
    lines.insert(12, json.dumps({"id": "no-text", "text": ""}))
    with gzip.open(folder / "synthetic.jsonl.gz", "wt", encoding="utf-8") as fh:
        fh.write("\n".join(lines) + "\n")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 4)
    return [SEEDS, folder]


def _outputs(out: Path) -> dict[str, bytes]:
    return {name: (out / name).read_bytes() for name in ("triples.jsonl", "graph.ttl")}


@pytest.fixture(scope="module")
def one_process(inputs: list[Path], tmp_path_factory: pytest.TempPathFactory):
    out = tmp_path_factory.mktemp("w1")
    _, report = build(inputs, out, workers=1)
    return _outputs(out), report


def test_two_workers_give_identical_outputs_and_skips(one_process, inputs: list[Path], tmp_path: Path) -> None:
    expected, report1 = one_process
    seen: list[object] = []
    _, report2 = build(inputs, tmp_path, workers=2, on_article=seen.append)
    assert _outputs(tmp_path) == expected
    assert report1.articles == report2.articles > 40
    assert [str(s) for s in report2.skipped] == [str(s) for s in report1.skipped]
    assert len(report2.skipped) == 4  # a malformed line, an empty text, an empty file, a binary file
    assert len(seen) == report2.articles + len(report2.skipped)  # progress sees every item once


def test_results_come_back_in_input_order(inputs: list[Path]) -> None:
    from kg.gazetteer import load_gazetteer
    from loaders import iter_articles

    expected = [getattr(item, "id", None) or str(item) for item in iter_articles(inputs)]
    got = [getattr(item, "id", None) or str(item)
           for item, _ in extract_all(iter_articles(inputs), load_gazetteer(), workers=2, chunk=3)]
    assert got == expected


def test_bad_engine_and_workers_are_one_line_errors() -> None:
    with pytest.raises(KGError, match="unknown engine"):
        build_graph([SEEDS], engine="spark")
    with pytest.raises(KGError, match="at least 1"):
        build_graph([SEEDS], workers=0)


def test_dask_local_cluster_gives_identical_outputs(one_process, inputs: list[Path], tmp_path: Path) -> None:
    pytest.importorskip("dask.distributed")
    expected, report1 = one_process
    _, report = build(inputs, tmp_path, workers=2, engine="dask")  # a LocalCluster: 2 processes, 1 thread each
    assert _outputs(tmp_path) == expected
    assert [str(s) for s in report.skipped] == [str(s) for s in report1.skipped]


def test_cli_build_workers_option(inputs: list[Path], tmp_path: Path, one_process) -> None:
    from kg.cli import main

    assert main(["build", *map(str, inputs), "--out", str(tmp_path), "--workers", "2", "-q"]) == 0
    assert _outputs(tmp_path) == one_process[0]
    assert main(["build", str(SEEDS), "--out", str(tmp_path), "--scheduler", "tcp://x:1", "-q"]) == 2


def test_bulk_gc_restores_the_collector():
    """A library call must not leave the caller's process with its collector retuned or objects frozen."""
    before = gc.get_threshold()
    with bulk_gc():
        assert gc.get_threshold() == BULK_THRESHOLDS
        assert gc.get_freeze_count() > 0
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0


@pytest.mark.parametrize("workers", [1, 2], ids=["one-process", "pool"])
def test_an_article_past_its_time_budget_is_skipped(tmp_path: Path, workers: int) -> None:
    """A CPU-time budget per article, enforced by a timer signal in whichever process extracts it."""
    (tmp_path / "a_short.txt").write_text(SYNTHETIC[0], encoding="utf-8")
    (tmp_path / "b_long.txt").write_text("\n".join(SYNTHETIC * 2000), encoding="utf-8")  # ~4 s of extraction
    graph, report = build_graph([tmp_path], workers=workers, time_budget=1.0)
    assert report.articles == 1 and [s.path for s in report.skipped] == [str(tmp_path / "b_long.txt")]
    assert "more than 1 s of CPU time, the budget per article" in report.skipped[0].reason
    assert graph.g.number_of_nodes() > 0


def test_a_swallowed_time_budget_is_raised_again() -> None:
    """The first raise can land where Python ignores exceptions (a finaliser run by the collector in the
    middle of extraction); the timer goes on ticking, so the next tick stops the block all the same."""
    import time

    from kg.errors import TimeBudgetExceeded
    from kg.parallel import time_budget

    def spin(seconds: float) -> None:
        end = time.process_time() + seconds
        while time.process_time() < end:
            pass

    swallowed = 0
    with pytest.raises(TimeBudgetExceeded), time_budget(0.1):
        try:
            spin(5)
        except TimeBudgetExceeded:  # what a finaliser does to the exception raised inside it
            swallowed += 1
        spin(5)
    assert swallowed == 1


def test_time_budget_leaves_the_timer_as_it_found_it() -> None:
    import signal

    from kg.gazetteer import load_gazetteer
    from kg.model import Article, Extraction
    from kg.parallel import extract_item

    before = signal.getsignal(signal.SIGVTALRM)
    result = extract_item(Article("x", SYNTHETIC[1]), load_gazetteer(), budget=5.0)
    assert isinstance(result, Extraction) and result.triples
    assert signal.getsignal(signal.SIGVTALRM) is before and signal.getitimer(signal.ITIMER_VIRTUAL) == (0.0, 0.0)
