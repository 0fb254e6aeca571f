"""accord: analyse and monitor peace negotiations.

The public surface is small: load a case, assess a plan.

>>> from accord.model import load_case
>>> from accord.analysis.assess import assess_plan
>>> case = load_case("ukraine_2025")
>>> result = assess_plan(case, case.plan("us-28-point"))
>>> result.actors["ukraine"].accepts
False
"""

__version__ = "0.1.0"
