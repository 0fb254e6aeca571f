"""The review queue: claims of a case compared with its positions, proposed updates accepted or dismissed.

``GET /api/v1/cases/{case}/review`` lists the open proposals
(:func:`accord.analysis.review.review` over the claims the service holds for
the case, each against the position in effect on the claim's date) and the
decisions taken. An editor accepts one (``POST …/review/{id}/accept``): its
dated state — and the claims' articles as new sources — enter the case as one
``review`` edit, kept in the database with who and when like every edit, and
exportable with ``accord edits export``. Or dismisses it (``POST …/dismiss``
with a reason): nothing changes, the decision is kept. Accepting nothing
changes nothing.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Body, Depends, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from accord.analysis.review import Proposal, Review, Skipped, changes, review
from accord.model import Position, Source
from accord.model.source import Reliability
from accord.store.tokens import TokenInfo
from accord.web.api import AsOf, _json
from accord.web.auth import editor, reader, state_of
from accord.web.edits import ReviewDecision, Reviewed
from accord.web.errors import ERROR_RESPONSES, ApiError
from accord.web.state import State

router = APIRouter(prefix="/api/v1", responses=ERROR_RESPONSES)


class ProposalOut(Proposal):
    changes: list[str] = Field(description="what accepting it changes, in words (empty: it cannot be accepted)")


class ReviewOut(BaseModel):
    case: str
    as_of: dt.date | None = None
    open: list[ProposalOut]
    decided: list[Reviewed]
    agrees: int
    skipped: list[Skipped]


class AcceptIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reliability: Reliability | None = Field(None, description="the reliability of the sources the proposal adds "
                                                              "(default: medium)")
    note: str = Field("", max_length=2000, description="a line for the decision log")


class DismissIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: str = Field(min_length=1, max_length=2000, description="why the proposal is dismissed (kept)")


class Accepted(BaseModel):
    proposal: str
    state: Position
    sources: list[Source] = Field(description="the sources the case did not have, now added")
    decided: Reviewed


def review_of(state: State, case_id: str, as_of: dt.date | None = None) -> Review:
    """The proposals from the case's claims (cached per case version and date)."""
    e = state.entry(case_id)
    day = state.day(as_of)
    return state.memo("review", case_id, day, lambda: review(e.case, list(e.claims.values()), as_of=day))


def queue(state: State, case_id: str, as_of: dt.date | None = None) -> ReviewOut:
    """Open proposals (not yet decided) and the decisions taken, newest first."""
    e = state.entry(case_id)
    r = review_of(state, case_id, as_of)
    open_ = [ProposalOut(**p.model_dump(), changes=changes(e.case, p)) for p in r.proposals
             if p.id not in e.reviews]
    decided = sorted(e.reviews.values(), key=lambda d: -d.seq)
    return ReviewOut(case=case_id, as_of=state.day(as_of), open=open_, decided=decided, agrees=r.agrees,
                     skipped=list(r.skipped))


def _open(state: State, case_id: str, proposal_id: str) -> Proposal:
    e = state.entry(case_id)
    done = e.reviews.get(proposal_id)
    if done is not None:
        raise ApiError(409, f"proposal '{proposal_id}' was already {done.decision}ed by {done.author or 'someone'} "
                       f"on {done.at:%Y-%m-%d %H:%M} UTC", field="proposal")
    for p in review_of(state, case_id).proposals:
        if p.id == proposal_id:
            return p
    raise ApiError(404, f"no open proposal '{proposal_id}' in case '{case_id}' (the claims or the case changed?)",
                   field="proposal")


@router.get("/cases/{case_id}/review", response_model=ReviewOut, dependencies=[Depends(reader)], tags=["review"])
def get_review(request: Request, case_id: str, as_of: AsOf = None) -> Response:
    """The review queue: proposed updates from the case's claims (each against the position in effect on its
    date; claims dated after ``as_of`` left aside), and the decisions taken."""
    state = state_of(request)
    return _json(state.json_bytes("reviewq", case_id, state.day(as_of), lambda: queue(state, case_id, as_of)))


@router.post("/cases/{case_id}/review/{proposal_id}/accept", response_model=Accepted, tags=["review"])
def accept(request: Request, case_id: str, proposal_id: str, body: Annotated[AcceptIn | None, Body()] = None,
           who: TokenInfo = Depends(editor)) -> Accepted:
    """Accept a proposal: its dated state (and the claims' articles as new sources) enter the case, kept in the
    database with who and when. 409 when already decided; 422 when no state can be read from its claims."""
    state = state_of(request)
    params = body or AcceptIn()
    author = who.name or who.id
    today = dt.datetime.now(dt.UTC).date()
    with state.lock:  # the check and the write as one step: of two simultaneous accepts, the second gets 409
        p = _open(state, case_id, proposal_id)
        if p.proposed is None:
            raise ApiError(422, f"proposal '{proposal_id}' has no state to write ({p.reason}); code it by hand "
                           "(PUT …/positions/{actor}/{issue}) and dismiss it", field="proposal")
        known = {s.id for s in state.case(case_id).sources}
        new = [s.model_copy(update={"reliability": params.reliability}) if params.reliability else s
               for s in p.sources if s.id not in known]
        note = f"{p.proposed.note}; accepted in review by {author} on {today}" + (
            f": {params.note}" if params.note else "")
        decision = ReviewDecision(decision="accept", reason=params.note, actor=p.actor, issue=p.issue,
                                  kind=p.kind, date=p.date, state=p.proposed.model_copy(update={"note": note}),
                                  sources=tuple(new))
        e = state.edit_case(case_id, "review", proposal_id, decision, author=author)
    assert decision.state is not None
    return Accepted(proposal=proposal_id, state=decision.state, sources=new, decided=e.reviews[proposal_id])


@router.post("/cases/{case_id}/review/{proposal_id}/dismiss", response_model=Reviewed, tags=["review"])
def dismiss(request: Request, case_id: str, proposal_id: str, body: DismissIn,
            who: TokenInfo = Depends(editor)) -> Reviewed:
    """Dismiss a proposal with a reason: nothing in the case changes; the decision is kept (who, when, why)."""
    state = state_of(request)
    with state.lock:  # the check and the write as one step (see accept)
        p = _open(state, case_id, proposal_id)
        decision = ReviewDecision(decision="dismiss", reason=body.reason, actor=p.actor, issue=p.issue,
                                  kind=p.kind, date=p.date)
        e = state.edit_case(case_id, "review", proposal_id, decision, author=who.name or who.id)
    return e.reviews[proposal_id]
