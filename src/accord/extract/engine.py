"""Running the pipeline over many documents: locally, or on Dask distributed.

Both engines yield one :class:`~accord.extract.pipeline.DocResult` per
document **in input order**, so their output is identical. The local engine
runs the pipeline in this process. ``--engine dask`` sends chunks of documents
(``chunk_size`` each) to a Dask scheduler — the one at ``address``, or a
``LocalCluster(n_workers=2, threads_per_worker=1)`` started here — with the case
scattered once to every worker; each worker compiles the extractor once and
keeps it. At most ``2 × workers`` chunks are in flight, so memory stays flat
and results stream back as they finish (re-ordered into input order).

>>> from accord.defaults import DEFAULT_CASE

>>> from accord.model import load_case
>>> from accord.extract.documents import Document
>>> res = list(run_local([Document(id="a", text="Kyiv rejected the plan.")], load_case(DEFAULT_CASE)))
>>> [(c.holder, c.issue) for c in res[0].claims]
[('ukraine', 'plan')]
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice
from typing import Any, Literal

from accord.extract.documents import Document
from accord.extract.learned import ClaimModel
from accord.extract.pipeline import DocResult, Extractor
from accord.model import Case

_EXTRACTORS: dict[tuple[str, int, bool, str | None], Extractor] = {}
Model = ClaimModel | None | Literal["default"]


def extractor_for(case: Case, embeddings: bool = False, model: Model = "default") -> Extractor:
    """A cached :class:`Extractor` for ``case`` (one per process; embeddings loaded once).

    ``model``: the learned model to apply (``"default"``: the one shipped with accord; ``None``: rules only).
    """
    key = (case.id, id(case), embeddings, model if model is None or isinstance(model, str) else model.fingerprint())
    ex = _EXTRACTORS.get(key)
    if ex is None:
        embedder = None
        if embeddings:
            from accord.extract.embed import IssueEmbedder

            embedder = IssueEmbedder(case)
        ex = Extractor(case, embedder, model)
        _EXTRACTORS.clear()
        _EXTRACTORS[key] = ex
    return ex


def extract_chunk(
    docs: list[Document], case: Case, embeddings: bool = False, model: Model = "default"
) -> list[DocResult]:
    """The pipeline over one chunk of documents (what a Dask task runs)."""
    ex = extractor_for(case, embeddings, model)
    return [ex.extract(d) for d in docs]


def run_local(
    docs: Iterable[Document], case: Case, *, embeddings: bool = False, model: Model = "default"
) -> Iterator[DocResult]:
    """Results document by document in this process."""
    ex = extractor_for(case, embeddings, model)
    for d in docs:
        yield ex.extract(d)


def _chunks(docs: Iterable[Document], size: int) -> Iterator[list[Document]]:
    it = iter(docs)
    while chunk := list(islice(it, size)):
        yield chunk


def run_dask(
    docs: Iterable[Document],
    case: Case,
    *,
    embeddings: bool = False,
    model: Model = "default",
    address: str | None = None,
    n_workers: int = 2,
    chunk_size: int = 16,
) -> Iterator[DocResult]:
    """Results in input order from a Dask cluster (started here when no ``address`` is given)."""
    from dask.distributed import Client, LocalCluster, as_completed

    cluster: Any = None
    if address is None:
        cluster = LocalCluster(
            n_workers=n_workers, threads_per_worker=1, dashboard_address=None, processes=True, silence_logs=40
        )
        client = Client(cluster)
    else:
        client = Client(address)
    try:
        workers = max(1, len(client.scheduler_info().get("workers", {})) or n_workers)
        case_f = client.scatter(case, broadcast=True)
        chunks = enumerate(_chunks(docs, chunk_size))
        futures: dict[Any, int] = {}
        done: dict[int, list[DocResult]] = {}
        ac = as_completed()
        nxt = 0

        def submit_one() -> bool:
            try:
                i, chunk = next(chunks)
            except StopIteration:
                return False
            f = client.submit(extract_chunk, chunk, case_f, embeddings, model, pure=False)
            futures[f] = i
            ac.add(f)
            return True

        for _ in range(2 * workers):
            if not submit_one():
                break
        for f in ac:
            i = futures.pop(f)
            done[i] = f.result()
            f.release()
            submit_one()
            while nxt in done:
                yield from done.pop(nxt)
                nxt += 1
        while nxt in done:
            yield from done.pop(nxt)
            nxt += 1
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
