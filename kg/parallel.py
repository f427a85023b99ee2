"""Extraction of many articles on several cores (``local``) or on a dask.distributed cluster (``dask``).

Extraction is a pure function of one article and the read-only gazetteer, so articles can be
extracted anywhere as long as the results are merged in input order: every engine here yields
``(item, result)`` pairs in exactly the order the loaders produced the items, so the merged graph,
and therefore every output file, is byte-identical to a one-process build.

Workers get the gazetteer once (the pool initializer, or one broadcast on dask), never per article.
Results travel back without the article text (the graph keeps only title, date, URL, source and
path), which halves what crosses process boundaries.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
from collections import deque
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from itertools import islice
from pathlib import Path
from typing import Any

from kg.errors import KGError, TimeBudgetExceeded
from kg.extract import extract
from kg.gazetteer import Gazetteer
from kg.memory import bulk_gc, tune_for_bulk
from kg.model import DEFAULT_TIME_BUDGET, Article, Extraction, Skipped

ENGINES = ("local", "dask")
# Articles per task: large enough that inter-process overhead is small next to ~4 ms of extraction
# per article, small enough that a worker never holds much text.
DEFAULT_CHUNK = 64
# Below this much input, one process is faster: starting a pool and sending each worker the gazetteer costs
# seconds (36 dev articles, 180 KB: 7.2 s with one worker, 10.8 s with two), more than extracting ~200 articles.
SMALL_INPUT_BYTES = 1 << 20
Result = Extraction | Skipped
# CPU seconds between the timer's ticks once a time budget is spent (see time_budget)
_TICK = 0.05

_GAZ: Gazetteer | None = None  # the worker process's gazetteer and time budget, set once by _init_worker
_BUDGET: float | None = None


def default_workers() -> int:
    """The cores this process may run on (the affinity mask, which containers and taskset narrow)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not on Linux
        return max(1, os.cpu_count() or 1)


def workers_for(paths: Iterable[str | Path]) -> int:
    """The default --workers of every command that extracts: one process for a few small files, else the cores."""
    total = 0
    for path in map(Path, paths):
        files = [path] if not path.is_dir() else (Path(root, name) for root, _, names in os.walk(path)
                                                  for name in names)
        for file in files:
            try:
                total += file.stat().st_size
            except OSError:
                continue  # the loaders name an unreadable file; it is no reason to choose a pool
            if total >= SMALL_INPUT_BYTES:
                return default_workers()
    return 1


@contextmanager
def time_budget(seconds: float | None) -> Iterator[None]:
    """Raise TimeBudgetExceeded inside the block once this process has spent ``seconds`` of CPU time in it.

    Extraction is pure Python, so a timer signal is the one way to stop it from outside without a thread
    or process per article. Signal handlers run only in the main thread: elsewhere (a dask worker runs
    tasks in threads) and with ``seconds`` None the block is not bounded. The timer keeps ticking once
    the budget is spent: a raise that lands in a finaliser (``__del__``, a weakref callback) is swallowed
    by Python, and a one-shot timer then let a long build's article run unbounded.
    """
    if not seconds or threading.current_thread() is not threading.main_thread():
        yield
        return
    ticking = True

    def expire(_signum: int, _frame: object) -> None:
        if ticking:
            raise TimeBudgetExceeded(seconds)

    previous = signal.signal(signal.SIGVTALRM, expire)
    signal.setitimer(signal.ITIMER_VIRTUAL, seconds, _TICK)
    try:
        yield
    finally:
        try:
            ticking = False
        finally:  # reached even should a tick raise before the line above
            signal.setitimer(signal.ITIMER_VIRTUAL, 0)
            signal.signal(signal.SIGVTALRM, previous)


def extract_item(item: Article | Skipped, gaz: Gazetteer, budget: float | None = DEFAULT_TIME_BUDGET) -> Result:
    """One loaded item to an Extraction (text dropped), or a Skipped with a one-line reason.

    A Skipped from the loaders passes through unchanged so that it keeps its place in the order; an
    article whose extraction outlasts ``budget`` CPU seconds becomes a Skipped.
    """
    if isinstance(item, Skipped):
        return item
    try:
        with time_budget(budget):
            extraction = extract(item, gaz)
    except KGError as err:
        return Skipped(item.path or item.id, str(err))
    except Exception as err:  # a bug on one odd article must not cost the other forty thousand
        return Skipped(item.path or item.id, f"extraction failed ({type(err).__name__}: {err})")
    extraction.article = replace(extraction.article, text="", furniture=())
    return extraction


def _init_worker(gaz: Gazetteer, budget: float | None) -> None:
    global _GAZ, _BUDGET
    _GAZ, _BUDGET = gaz, budget
    tune_for_bulk()  # the gazetteer is read-only from here on: keep it out of every collection


def _extract_in_worker(item: Article | Skipped) -> Result:
    assert _GAZ is not None, "worker started without its gazetteer"
    return extract_item(item, _GAZ, _BUDGET)


def _extract_chunk(items: list[Article | Skipped], gaz: Gazetteer) -> list[Result]:
    with bulk_gc():  # a dask worker lives on after the task: its collector settings are restored
        return [extract_item(item, gaz, None) for item in items]


def extract_all(items: Iterable[Article | Skipped], gaz: Gazetteer, *, workers: int = 1,
                engine: str = "local", scheduler: str | None = None, chunk: int = DEFAULT_CHUNK,
                budget: float | None = DEFAULT_TIME_BUDGET) -> Iterator[tuple[Article | Skipped, Result]]:
    """``(item, result)`` for every loaded item, in input order, extracted by ``engine``.

    ``local`` with one worker runs in this process; with more it uses a process pool. ``dask`` sends
    chunks of articles to the scheduler at ``scheduler`` (or to a LocalCluster of ``workers``
    processes when none is given). ``budget`` bounds each article's CPU time on the local engine
    (see `time_budget`); dask runs tasks in threads, where no timer signal can reach them.
    """
    if engine not in ENGINES:
        raise KGError(f"unknown engine {engine!r}: expected one of {', '.join(ENGINES)}")
    if workers < 1:
        raise KGError(f"--workers must be at least 1, not {workers}")
    if engine == "dask":
        yield from _dask(items, gaz, workers, scheduler, chunk)
    elif workers == 1:
        for item in items:
            yield item, extract_item(item, gaz, budget)
    else:
        yield from _pool(items, gaz, workers, chunk, budget)


def _pool(items: Iterable[Article | Skipped], gaz: Gazetteer, workers: int,
          chunk: int, budget: float | None) -> Iterator[tuple[Article | Skipped, Result]]:
    # forkserver: workers start from a clean process, not a fork of a parent that may hold threads
    # (tqdm's monitor, the neo4j driver) or a large graph.
    ctx = multiprocessing.get_context("forkserver" if "forkserver" in multiprocessing.get_all_start_methods()
                                      else "spawn")
    if ctx.get_start_method() == "forkserver":
        ctx.set_forkserver_preload(["kg.parallel"])  # imported once in the server, not once per worker
    # The items are echoed back beside their results; a bounded queue of those in flight keeps the
    # parent's memory flat: imap reads its input lazily, one chunk per free slot.
    pending: deque[Article | Skipped] = deque()

    def feed() -> Iterator[Article | Skipped]:
        for item in items:
            pending.append(_without_text(item))
            yield item

    with ctx.Pool(workers, initializer=_init_worker, initargs=(gaz, budget)) as pool:
        try:
            for result in pool.imap(_extract_in_worker, feed(), chunksize=chunk):
                yield pending.popleft(), result
        except (OSError, EOFError, multiprocessing.ProcessError) as err:
            raise KGError(f"an extraction worker failed ({type(err).__name__}: {err})") from err


def _without_text(item: Article | Skipped) -> Article | Skipped:
    return replace(item, text="", furniture=()) if isinstance(item, Article) else item


def _dask(items: Iterable[Article | Skipped], gaz: Gazetteer, workers: int, scheduler: str | None,
          chunk: int) -> Iterator[tuple[Article | Skipped, Result]]:
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError as err:
        raise KGError("--engine dask needs dask.distributed: pip install 'arabic-diplomacy-kg[dask]'") from err
    cluster: Any = None
    try:
        if scheduler:
            client = Client(scheduler, timeout="30s")
        else:
            cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                   dashboard_address=None)
            client = Client(cluster)
    except OSError as err:
        raise KGError(f"cannot reach the dask scheduler {scheduler or '(local)'}: {err}") from err
    try:
        gaz_future = client.scatter(gaz, broadcast=True)
        width = max(1, sum(client.nthreads().values())) * 2  # chunks in flight: every worker busy, one queued
        it = iter(items)
        flight: deque[tuple[list[Article | Skipped], Any]] = deque()
        while True:
            while len(flight) < width:
                batch = list(islice(it, chunk))
                if not batch:
                    break
                future = client.submit(_extract_chunk, batch, gaz_future, pure=False)
                flight.append(([_without_text(i) for i in batch], future))
            if not flight:
                return
            batch, future = flight.popleft()
            try:
                results = future.result()
            except Exception as err:
                raise KGError(f"a dask task failed ({type(err).__name__}: {err})") from err
            yield from zip(batch, results, strict=True)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
