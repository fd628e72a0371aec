"""Measuring outcomes from weekly register panels (DREAM-style) to settle payments.

The chain: a weekly benefit panel (:mod:`.panel`, read and reshaped by DuckDB)
→ each week's code mapped to a group of a code grouping shipped as data
(:mod:`.grouping`) → measures per person relative to each person's own start
week (:mod:`.definitions`, :mod:`.measures`) → the effect against a control
group, a historical baseline or a matched comparison group (:mod:`.effects`,
:mod:`.matching`) → aggregates with small cells suppressed (:mod:`.privacy`)
→ the payment model's metrics, payments by year and the settlement
(:mod:`.link`, :mod:`.report`).  :mod:`.design` gives sample sizes and minimum
detectable effects; :mod:`.synthetic` makes seeded synthetic panels with a
known effect (never real data).

No module here imports xlwings; the Excel functions and the command line call
these functions.
"""
