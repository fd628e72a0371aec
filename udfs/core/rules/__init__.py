"""The registry of payment rules: one module per rule, registered here.

Each rule is a subclass of :class:`~udfs.core.rules.base.Rule` in its own
module (see :mod:`udfs.core.rules.base` for what it defines).  The engine,
the break-even, the standard workbook, the JSON Schema and the reader find a
rule through :func:`rules` and :func:`by_code`; nothing else switches on a
rule's type.

Adding a rule: write its module and call :func:`register` with its class
before :mod:`udfs.core.payment` builds the payment model (the built-in rules
are registered on import of this package).
"""

from __future__ import annotations

from .base import Cell, FormulaCell, Rule, StrictModel
from .linear import LinearRule
from .per_period import PerPeriodRule
from .rate_card import RateCardRule
from .savings_share import SavingsShareRule
from .switching_share import SwitchingShareRule
from .tier import TierRule

_RULES: dict[str, type[Rule]] = {}
_built = False


def register(rule: type[Rule]) -> type[Rule]:
    """Add a rule class to the registry (usable as a class decorator).

    Raises RuntimeError when the payment model is already built (register
    before importing :mod:`udfs.core.payment`), or when the type or the
    workbook code is taken.
    """
    if _built:
        raise RuntimeError("payment rules must be registered before udfs.core.payment is imported")
    name = rule.type_name()
    if name in _RULES or any(r.CODE == rule.CODE for r in _RULES.values()):
        raise RuntimeError(f"a payment rule with type '{name}' or code {rule.CODE} is already registered")
    _RULES[name] = rule
    return rule


def rules() -> tuple[type[Rule], ...]:
    """The registered rule classes, in registration order."""
    return tuple(_RULES.values())


def rule_types() -> tuple[str, ...]:
    """The registered values of ``type``."""
    return tuple(_RULES)


def by_code(code: int) -> type[Rule]:
    """The rule with workbook code ``code`` (KeyError when there is none)."""
    for rule in _RULES.values():
        if rule.CODE == code:
            return rule
    raise KeyError(code)


def freeze() -> tuple[type[Rule], ...]:
    """Close the registry (the payment model is built from it) and return the rules."""
    global _built
    _built = True
    return rules()


for _rule in (LinearRule, RateCardRule, TierRule, SavingsShareRule, SwitchingShareRule, PerPeriodRule):
    register(_rule)

__all__ = [
    "Cell", "FormulaCell", "LinearRule", "PerPeriodRule", "RateCardRule", "Rule", "SavingsShareRule", "StrictModel", "SwitchingShareRule", "TierRule",
    "by_code", "freeze", "register", "rule_types", "rules",
]  # fmt: skip
