"""Shared fixtures: a small hand-worked case written as a real case folder."""

from __future__ import annotations

import os
import textwrap
from pathlib import Path

import pytest

TOY = {
    "case.yaml": """\
        id: toy
        name: Toy negotiation
        axis: {low: a, high: b}
        """,
    "issues.yaml": """\
        - id: land
          name: Land
          options:
            - {id: all-a, label: All to A, axis: 0}
            - {id: split, label: Split, axis: 50}
            - {id: all-b, label: All to B, axis: 100}
          status_quo: split
        - id: army
          name: Army cap
          kind: scale
          unit: troops
          low: 100
          high: 0
          points: [100, 50, 0]
          status_quo: "100"
        """,
    "actors.yaml": """\
        - id: a
          name: Alpha
          capability: {value: 0.6, low: 0.5, high: 0.7, estimate: bigger army}
          batna: {value: 0.3, estimate: can hold out}
        - id: b
          name: Beta
          capability: {value: 0.4, estimate: smaller}
          batna: {value: 0.2, estimate: weak}
        """,
    "positions.yaml": """\
        a:
          land: {ideal: all-a, salience: {value: 0.75, estimate: core}, red_line: [all-b], sources: [s1]}
          army: {ideal: "100", salience: {value: 0.25, estimate: secondary}, sources: [s1]}
        b:
          land: {ideal: all-b, salience: {value: 0.5, estimate: core}, acceptable: [split], sources: [s1]}
          army: {ideal: "0", salience: {value: 0.5, estimate: core}, sources: [s1]}
        """,
    "sources.yaml": """\
        - id: s1
          url: https://example.org/toy
          date: 2025-11-21
          publisher: Example
        """,
    "plans/p1.yaml": """\
        id: p1
        name: Plan one
        authors: [b]
        provisions:
          - {id: "1", title: Land, text: B gets all the land., issue: land, option: all-b, sources: [s1]}
          - {id: "2", title: Army, text: Army capped at 50., issue: army, option: "50", sources: [s1]}
        """,
    "plans/p2.yaml": """\
        id: p2
        name: Plan two
        based_on: p1
        provisions:
          - {id: "1", title: Land, text: The land is split., issue: land, option: split, sources: [s1]}
          - {id: "3", title: Talks, text: Talks continue., sources: [s1]}
        """,
}


def _shared() -> Path:
    """``shared/`` beside the repository (CI's clean clone), else this workplace's /work/shared."""
    beside = Path(__file__).resolve().parents[2] / "shared"
    return beside if beside.is_dir() else Path("/work/shared")


SHARED = _shared()
"""Read-only project material: case notes, the seed corpus, the forecasting oracles."""


def write_case(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return root


@pytest.fixture
def toy_dir(tmp_path: Path) -> Path:
    """The toy case as a folder (a fresh copy per test, free to break)."""
    return write_case(tmp_path / "toy", TOY)


@pytest.fixture(autouse=True)
def _offline(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("TRANSFORMERS_OFFLINE", "1")


def require_services() -> bool:
    """CI sets ACCORD_REQUIRE_SERVICES=1: tests needing PostgreSQL or Chromium must run, not skip."""
    return os.environ.get("ACCORD_REQUIRE_SERVICES") == "1"


@pytest.fixture(autouse=True)
def _key_dir(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Log keys made by default go to a folder of the test's own, never the user's ~/.config."""
    if not os.environ.get("ACCORD_KEY_DIR"):
        monkeypatch.setenv("ACCORD_KEY_DIR", str(tmp_path_factory.mktemp("keys")))
