"""Articles in, claims out: ``POST /api/v1/cases/{case}/documents`` runs the extractor on workspace files.

An editor names a file or folder inside the workspace (paths cannot leave it);
each article (.txt, .md, .html) is read with :mod:`accord.extract.documents`,
its claims extracted with :class:`accord.extract.pipeline.Extractor` and kept
with the article text, so the claims browser can show each claim's sentence
highlighted in its article (``/cases/{case}/documents/{doc}``). Claims go to
the database when the service has one; article texts stay in memory.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, ConfigDict, Field

from accord.extract.documents import Document, expand, read_documents
from accord.model import Case
from accord.web.auth import editor, reader, state_of
from accord.web.errors import ERROR_RESPONSES, ApiError
from accord.web.state import State
from accord.web.tokens import TokenInfo

router = APIRouter(prefix="/api/v1", responses=ERROR_RESPONSES)
MAX_FILES = 200


class DocumentsIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    path: str = Field(min_length=1, max_length=1000, description="an article or a folder of articles in the workspace")


class DocumentSummary(BaseModel):
    id: str
    title: str | None = None
    url: str | None = None
    date: dt.date | None = None
    source: str | None = None
    chars: int
    claims: int


class DocumentOut(DocumentSummary):
    text: str


class ExtractOut(BaseModel):
    documents: list[str]
    claims: int
    skipped: list[str]


def extract_into(state: State, case_id: str, paths: Sequence[Path]) -> ExtractOut:
    """Extract the claims of every article under ``paths`` into the case (paths already checked)."""
    from accord.extract.pipeline import Extractor

    case: Case = state.case(case_id)
    extractor = Extractor(case)
    done: list[str] = []
    skipped: list[str] = []
    total = 0
    for item in read_documents(paths):
        if not isinstance(item, Document):
            skipped.append(str(item))
            continue
        if len(done) >= MAX_FILES:
            skipped.append(f"skipped {item.path}: more than {MAX_FILES} articles in one request")
            continue
        claims = list(extractor.extract(item).claims)
        stored = state.add_document(case_id, item, claims)
        if state.store is not None and hasattr(state.store, "save_claim"):
            for c in stored:
                state.store.save_claim(case_id, c)
        total += len(stored)
        done.append(item.id)
    return ExtractOut(documents=done, claims=total, skipped=skipped)


@router.post("/cases/{case_id}/documents", response_model=ExtractOut, tags=["claims"])
def post_documents(request: Request, case_id: str, body: DocumentsIn, _: TokenInfo = Depends(editor)) -> ExtractOut:
    """Extract claims from an article or a folder of articles in the workspace."""
    state = state_of(request)
    state.entry(case_id)
    path = state.workspace_path(body.path)
    if not path.exists():
        raise ApiError(404, f"no file or folder '{body.path}' in the workspace", field="path")
    # a folder may hold symlinks pointing out of the workspace: check every file it lists
    files = expand([path])
    for f in files:
        state.workspace_path(str(f))
    for folder in {f.parent for f in files}:  # the metadata sidecar read beside them, too
        if os.path.lexists(folder / "meta.jsonl"):
            state.workspace_path(str(folder / "meta.jsonl"))
    return extract_into(state, case_id, files)


def _summary(state: State, case_id: str, d: Document) -> dict[str, Any]:
    n = sum(1 for c in state.entry(case_id).claims.values() if c.doc == d.id)
    return {"id": d.id, "title": d.title, "url": d.url, "date": d.date, "source": d.source, "chars": len(d.text),
            "claims": n}


@router.get("/cases/{case_id}/documents", response_model=list[DocumentSummary], dependencies=[Depends(reader)],
            tags=["claims"])
def list_documents(request: Request, case_id: str) -> list[dict[str, Any]]:
    state = state_of(request)
    return [_summary(state, case_id, d) for d in state.entry(case_id).documents.values()]


@router.get("/cases/{case_id}/documents/{doc_id}", response_model=DocumentOut, dependencies=[Depends(reader)],
            tags=["claims"])
def get_document(request: Request, case_id: str, doc_id: str) -> dict[str, Any]:
    state = state_of(request)
    d = state.entry(case_id).documents.get(doc_id)
    if d is None:
        raise ApiError(404, f"no document '{doc_id}' in case '{case_id}'", field="doc")
    return {**_summary(state, case_id, d), "text": d.text}
