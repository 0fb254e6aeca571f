"""The domain model: pydantic types for every term of DESIGN.md, and the case loader.

>>> from accord.model import DEFAULT_CASE, load_case
>>> case = load_case(DEFAULT_CASE)
>>> {case.axis.low, case.axis.high} <= {a.id for a in case.actors}
True
"""

from accord.model.actor import Actor, Position
from accord.model.case import Axis, BacktestSpec, Case, Package, Scenario
from accord.model.claim import PLAN, Basis, Claim, Quantity, Stance
from accord.model.issue import Issue, Option
from accord.model.load import DEFAULT_CASE, bundled_cases, case_dir, load_case
from accord.model.plan import Basket, ObligationSpec, Plan, Provision
from accord.model.source import Estimate, Source

__all__ = [
    "PLAN", "Actor", "Axis", "BacktestSpec", "Basis", "Basket", "Case", "Claim", "Estimate", "Issue",
    "ObligationSpec", "Option", "Package", "Plan", "Position", "Provision", "Quantity",
    "Scenario", "Source", "Stance", "DEFAULT_CASE", "bundled_cases", "case_dir", "load_case",
]
