"""A hand-made case that moves: the history case of tests/model/test_history.py with dated plans.

Alpha's red line on the land drops ``split`` on 11 December (it accepts the split
then); Beta takes a position on the army only on 11 December. Plan p1 (all land
to B, army capped at 50) is dated 25 November, its revision p2 (the land split)
15 December.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import write_case
from tests.model.test_history import HISTORY

MOVING = {
    **HISTORY,
    "plans/p1.yaml": HISTORY["plans/p1.yaml"].replace("authors: [b]", "authors: [b]\n        date: 2025-11-25"),
    "plans/p2.yaml": HISTORY["plans/p2.yaml"].replace("based_on: p1", "based_on: p1\n        date: 2025-12-15"),
}


@pytest.fixture
def moving_dir(tmp_path: Path) -> Path:
    """The moving case as a folder (a fresh copy per test)."""
    return write_case(tmp_path / "moving", MOVING)
