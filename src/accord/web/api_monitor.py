"""Monitoring endpoints: agreements, reports (monitors post them), compliance, ledger proofs.

They need a database (``accord serve --db …``); without one each answers 404
with a message saying so.
"""

from __future__ import annotations

from fastapi import APIRouter

from accord.web.errors import ERROR_RESPONSES

router = APIRouter(prefix="/api/v1", responses=ERROR_RESPONSES)
