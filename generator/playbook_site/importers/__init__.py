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
