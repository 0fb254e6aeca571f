"""Fixtures of the extract tests: the bundled case, a compiled extractor, the fixture articles."""

from __future__ import annotations

from pathlib import Path

import pytest

from accord.extract.documents import Document, read_documents
from accord.extract.pipeline import Extractor
from accord.model import load_case

ARTICLES = Path(__file__).parent / "articles"


def seeds_dir() -> Path | None:
    """The shared seed corpus (beside the repository, or at /work/shared), if present."""
    for root in (Path(__file__).resolve().parents[3] / "shared", Path("/work/shared")):
        p = root / "corpus" / "seeds"
        if (p / "gold.jsonl").is_file():
            return p
    return None


@pytest.fixture(scope="session")
def case():
    return load_case("ukraine_2025")


@pytest.fixture(scope="session")
def extractor(case):
    """The rule-based extractor alone (the learned models are tested in test_learned.py)."""
    return Extractor(case, model=None)


@pytest.fixture(scope="session")
def fixture_docs() -> dict[str, Document]:
    return {d.id: d for d in read_documents([ARTICLES]) if isinstance(d, Document)}


def claims_of(extractor, text: str, date=None, doc_id: str = "t"):
    """(holder, issue, stance) of the claims of one text."""
    res = extractor.extract(Document(id=doc_id, text=text, date=date))
    return {(c.holder, c.issue, c.stance) for c in res.claims}
