"""accord: analyse and monitor peace negotiations.

The public surface is small: load a case, assess a plan.

>>> from accord.model import DEFAULT_CASE, load_case
>>> from accord.analysis.assess import assess_plan
>>> case = load_case(DEFAULT_CASE)
>>> result = assess_plan(case, case.plans[0])
>>> set(result.actors) == set(case.actor_ids)
True
"""

__version__ = "0.1.0"
