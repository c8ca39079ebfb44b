"""Importers: what a company already keeps, turned into content.

`playbook import results` reads a CRM or BI export (CSV, XLSX, XLS, ODS) and writes or updates a
KPI's `results/<kpi>.csv`; `playbook import definitions` reads a spreadsheet of roles, lead stages,
KPIs and glossary terms and writes one YAML file per entity. The file read is hostile: no cell is
evaluated (a formula's text is never run, and a spreadsheet's cached values are what is read),
the refused characters of `text.HIDDEN_RE` are refused where they are found, sizes are limited
before anything is expanded, and everything written is read back by the content's own readers
before it reaches the disk.
"""

from __future__ import annotations

from typing import Literal, get_args

# How the rows of a period make its value (`--aggregate`, `aggregate:` in results/sources.yml).
Aggregate = Literal["sum", "mean", "median", "last", "count"]
AGGREGATES: tuple[str, ...] = get_args(Aggregate)
# Units whose results add up over a period (a count of deals, an amount of money): summed by default.
# Every other unit of schema.Unit (a percent, hours, a ratio) is a level, averaged over the period;
# importers.results checks that these are units of schema.Unit.
SUMMED_UNITS = ("count", "currency")
