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

With ``skala: pr_person`` (and ``vaerdi: niveau``) the value is not one number
but the intervention group's per-person values, shape (n,), e.g. each
participant's weeks self-supported: Aalborg's model pays a rate per week with
the cap per participant applied to each person, which a mean cannot give
(:meth:`udfs.core.rules.PerPeriodRule.payment`).  Only a rule whose
:meth:`~udfs.core.rules.Rule.per_person_unit` is ``uge`` takes it (a weekly
panel counts weeks).  The series never leaves the core: the report shows its
sum and the payment.

The values then go to :func:`udfs.core.payment.contract_payments` unchanged;
nothing here knows the payment rules beyond that one question.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..errors import SIError, did_you_mean
from ..payment import PaymentModel
from .definitions import PaymentLink
from .privacy import MIN_PERSONS


@dataclass(frozen=True)
class Measured:
    """What a link needs of one measure: intervention mean, effect, lower bound and persons in the intervention
    group (None = suppressed), and the intervention group's per-person values, shape (n,) (None = suppressed:
    fewer than :data:`~.privacy.MIN_PERSONS` persons)."""

    level: float | None
    effect: float | None
    lower: float | None
    n_treated: int
    persons: np.ndarray | None = None


SUPPRESSED = "målingen er undertrykt (under 5 personer), så betalingen kan ikke beregnes"


def link_value(link: PaymentLink, measured: Measured, argument: str) -> Any:
    """The metric value of one link (see the module docstring): a number, or with ``skala: pr_person`` the
    per-person values (n,); SIError naming ``argument`` when the figure it needs is suppressed."""
    if link.skala == "pr_person":
        if measured.persons is None or measured.persons.size < MIN_PERSONS:
            raise SIError(argument, SUPPRESSED)
        return np.asarray(measured.persons, dtype=float)
    if link.vaerdi == "niveau":
        base = measured.level
    else:
        base = measured.lower if link.interval == "nedre" else measured.effect
    if base is None:
        raise SIError(argument, SUPPRESSED)
    scale = measured.n_treated if link.skala == "i_alt" else 1
    return link.fortegn * base * scale


def measured_effect(link: PaymentLink, measured: Measured) -> float | None:
    """The measured effect in the unit of the metric ``link`` pays (None when suppressed): the point estimate
    (intervention − comparison) × ``fortegn`` × (1 for ``pr_deltager``; the persons in the intervention group
    for ``i_alt`` and for ``pr_person``, whose metric is the weeks summed over the persons).  Whatever the link
    pays on (a lower bound, a level, each person's weeks), this is what the measurement shows the intervention
    did, the figure set against the case's expected value
    (:func:`udfs.core.published.measured_savings`)."""
    if measured.effect is None:
        return None
    return link.fortegn * measured.effect * (measured.n_treated if link.skala in ("i_alt", "pr_person") else 1)


def check_per_person(model: PaymentModel, link: PaymentLink, argument: str) -> None:
    """SIError naming ``argument.skala`` or ``argument.resultatmaal`` unless the linked metric's rule takes weeks
    per participant (``skala: pr_person``)."""
    metric = model.metric(link.resultatmaal)
    unit = metric.regel.per_person_unit()
    if unit is None:
        raise SIError(f"{argument}.skala", f"pr_person kan kun bruges med en regel, der betales pr. deltager (pr_periode); "
                                           f"'{metric.id}' har reglen {metric.regel.type}")
    if unit != "uge":
        raise SIError(f"{argument}.resultatmaal", f"'{metric.id}' betaler pr. {'måned' if unit == 'maaned' else unit}, "
                                                  "men et ugepanel tæller uger; brug periode: uge")


def link_errors(model: PaymentModel, links: Sequence[PaymentLink]) -> list[SIError]:
    """Every error of the ``betaling`` links against the case's payment model, all at once, each naming its link
    (``betaling[2].resultatmaal``): a metric the model lacks ("mente du …?"), a metric whose rule is not paid on
    one measured figure, a metric measured twice, a ``pr_person`` link to a rule not paid per participant week,
    and a metric of the model no link measures."""
    errors: list[SIError] = []
    linked: set[str] = set()
    known = [m.id for m in model.resultatmaal]
    for i, link in enumerate(links):
        if link.resultatmaal not in known:
            hint = did_you_mean(link.resultatmaal, known)
            errors.append(SIError(f"betaling[{i}].resultatmaal", f"ukendt resultatmål '{link.resultatmaal}' i case-filens "
                                  "betalingsmodel" + (f" ({hint})" if hint else "") + f"; kendte: {', '.join(known)}"))
            continue
        metric = model.metric(link.resultatmaal)
        if metric.regel.ON_SAVINGS or metric.regel.PER_OUTCOME:  # paid on savings, or on one count per outcome
            errors.append(SIError(f"betaling[{i}].resultatmaal", f"'{metric.id}' har reglen {metric.regel.type}, som ikke "
                                                                 "betales på ét målt tal"))
        elif metric.id in linked:
            errors.append(SIError(f"betaling[{i}].resultatmaal", f"'{metric.id}' har mere end én måling"))
        elif link.skala == "pr_person":
            try:
                check_per_person(model, link, f"betaling[{i}]")
            except SIError as err:
                errors.append(err)
        linked.add(metric.id)
    errors += [SIError("betaling", f"resultatmålet '{m}' har ingen måling") for m in known if m not in linked]
    return errors


def metric_values(model: PaymentModel, links: Sequence[PaymentLink], measured: Mapping[str, Measured]) -> dict[str, Any]:
    """Metric id → value for every metric of ``model`` (each needs exactly one link; savings shares cannot be measured
    here): a number, or the per-person values (n,) for a ``pr_person`` link; SIError with every error of the links
    (:func:`link_errors`)."""
    errors = link_errors(model, links)
    if errors:
        raise errors[0].with_others(errors[1:])
    return {link.resultatmaal: link_value(link, measured[link.maal], f"betaling[{i}].maal") for i, link in enumerate(links)}
