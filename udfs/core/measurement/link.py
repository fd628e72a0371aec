"""The thin adapter from measured outcomes to the payment model's metrics.

:func:`metric_values` turns each measured estimate into the number a
payment-model metric (:class:`udfs.core.payment.OutcomeMetric`) is paid on, as
the measurement file's ``betaling`` says:

``value = fortegn × base × scale``, where ``base`` is the effect (intervention
− comparison; or the interval's lower bound with ``interval: nedre``) or, with
``vaerdi: niveau``, the intervention group's mean; ``scale`` is 1
(``pr_deltager``) or the number of persons in the intervention group
(``i_alt``).  Example: "reduktion af 144 fuldsårspersoner" is a ``fuldtid``
measure of the benefit group, ``vaerdi: effekt``, ``skala: i_alt``,
``fortegn: -1``.

The values then go to :func:`udfs.core.payment.contract_payments` unchanged;
nothing here knows the payment rules.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ..errors import SIError
from ..payment import PaymentModel
from .definitions import PaymentLink


@dataclass(frozen=True)
class Measured:
    """What a link needs of one measure: intervention mean, effect, lower bound and persons in the intervention group (None = suppressed)."""

    level: float | None
    effect: float | None
    lower: float | None
    n_treated: int


def link_value(link: PaymentLink, measured: Measured, argument: str) -> float:
    """The metric value of one link (see the module docstring); SIError when the figure it needs is suppressed."""
    if link.vaerdi == "niveau":
        base = measured.level
    else:
        base = measured.lower if link.interval == "nedre" else measured.effect
    if base is None:
        raise SIError(argument, "målingen er undertrykt (under 5 personer), så betalingen kan ikke beregnes")
    scale = measured.n_treated if link.skala == "i_alt" else 1
    return link.fortegn * base * scale


def metric_values(model: PaymentModel, links: Sequence[PaymentLink], measured: Mapping[str, Measured]) -> dict[str, float]:
    """Metric id → value for every metric of ``model`` (each needs exactly one link; savings shares cannot be measured here)."""
    by_metric: dict[str, float] = {}
    for i, link in enumerate(links):
        metric = model.metric(link.resultatmaal)
        if metric.regel.ON_SAVINGS or metric.regel.PER_OUTCOME:  # paid on savings, or on one count per outcome
            raise SIError(f"betaling[{i}].resultatmaal", f"'{metric.id}' har reglen {metric.regel.type}, som ikke betales på ét målt tal")
        if metric.id in by_metric:
            raise SIError(f"betaling[{i}].resultatmaal", f"'{metric.id}' har mere end én måling")
        by_metric[metric.id] = link_value(link, measured[link.maal], f"betaling[{i}]")
    missing = [m.id for m in model.resultatmaal if m.id not in by_metric]
    if missing:
        raise SIError("betaling", f"resultatmålet '{missing[0]}' har ingen måling")
    return by_metric
