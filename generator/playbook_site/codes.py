"""Every problem the tool reports, by code: what triggers it and how to fix it.

A `Problem` must carry one of these codes. The reference of every check (reference/checks.md) is
made from this table by `playbook reference`, and the tests read the list of codes from here.
"""

from __future__ import annotations

from dataclasses import dataclass

# At most this many problems of one kind are listed for one file (`more-problems` counts the rest).
PER_FILE = 100


@dataclass(frozen=True)
class Check:
    codes: tuple[str, ...]  # codes documented together
    kind: str  # "error", "warning" (an error with --strict) or "publishing" (only when publishing)
    trigger: str  # what triggers it (Markdown)
    fix: str = ""  # how to fix it (Markdown)


CHECKS: tuple[Check, ...] = (
    Check(
        ("yaml-syntax",),
        "error",
        "the file is not valid YAML (unclosed bracket or quote, `key: value` inside unquoted text, bad indentation, two documents, a value starting with `*`, `&`, `@` or `` ` ``, a bad `\\` escape in double quotes); the slips of pasted text are named: a bullet pasted from a document (`–`, `—`, `•`, `*`, `1.`) or a missing `- `, curly quotes used as quotes, an apostrophe inside single quotes, no space after `field:`, a non-breaking space after `field:`, a field indented into a list or under another field, a text continued without indentation, a list item indented into the one above",
        "the hint says what to type, at the line where the fix goes; an unclosed quote or bracket is shown where it opens; `playbook fix` repairs pasted bullets and curly quotes",
    ),
    Check(
        ("more-problems",),
        "error",
        f"more than {PER_FILE} problems of one kind in one file: the first {PER_FILE} are listed, and this one counts the rest (a warning when they are warnings)",
        "fix the ones listed, then validate again; they are the same kind of mistake, often made by a script or a paste",
    ),
    Check(
        ("duplicate-key",),
        "error",
        "the same field twice in one mapping (YAML would silently keep the last one); a whole file pasted twice is reported once",
        "merge the two, or rename one; for a file pasted twice, the hint names the lines of the second copy",
    ),
    Check(
        ("unknown-field",),
        "error",
        "a field the format does not have, e.g. `responsibilites`, or `id` in a file whose id is its name; a field outdented out of its block (`sla_hours` under `handoff:`, `period` under `target:`) or indented into the wrong one",
        "the hint suggests the closest field and lists the allowed ones, or says how many spaces to indent and under which block (a misspelt or outdented required field is not reported a second time as missing)",
    ),
    Check(
        ("bad-key",),
        "error",
        "a field name that is a list or a mapping (`? [a, b]`)",
        "write `name: value`",
    ),
    Check(
        ("missing-field",),
        "error",
        "a required field is absent",
        "add it; the hint says what it means",
    ),
    Check(
        ("empty-value", "too-short", "too-long"),
        "error",
        "an empty text or name, an empty list that needs at least one item, a `score` band with more than two numbers",
        "write a value or an item; write the band as `[low, high]`",
    ),
    Check(
        ("wrong-type",),
        "error",
        "text where a number is needed (`400,000`, `2,5`, `18%`, `4h`, `USD 50,000`, `50k`), a single value where a list is needed (pasted bullets, lines without `- `), a list item with a colon, a value YAML reads as true/false, a number or a date where text is needed (`yes`, `version: 1.10`), a text emptied by `#`, ...",
        "the hint shows the right shape, with the value as it should be typed",
    ),
    Check(
        ("bad-value",),
        "error",
        "a value outside an enum (the allowed values are listed; an unquoted `yes`/`no`/`on`/`off` is read as true/false and said so), a number out of range (`order: 0`, `sla_hours: -4`), `.nan`/`.inf`, a number with thousands of digits",
        "use one of the listed values, or an ordinary number",
    ),
    Check(
        ("invalid",),
        "error",
        "any other value the models refuse (a safety net; the message is the validator's)",
        "see the field in the format reference",
    ),
    Check(
        ("bad-id",),
        "error",
        "an id or a file name that is not lower-case kebab case",
        "the hint suggests a valid id",
    ),
    Check(
        ("bad-approver",),
        "error",
        "an approver that is neither a `@org/team` / `@user` handle nor an email",
        "write a GitHub handle (`@org/team` or `@user`) or a plain email address",
    ),
    Check(
        ("bad-date",),
        "error",
        "`review_by` or an activity `date` that is not a real `YYYY-MM-DD` date, or one written in a local form (`31/12/2026`, `12/31/2026`, `31.12.2026`, `Dec 31 2026`), or one outside the horizon 1900-01-01 to 2999-12-31 (`9999-12-31`)",
        "the hint gives the date as YYYY-MM-DD (both readings when it could be either); beyond the horizon, check the year",
    ),
    Check(
        ("duplicate-id", "duplicate-file"),
        "error",
        "the same id twice in a kind; `x.yml` beside `x.yaml`",
        "keep one",
    ),
    Check(
        ("dangling-reference",),
        "error",
        "a reference to an entity that does not exist",
        "the hint suggests the closest id",
    ),
    Check(
        ("ambiguous-reference",),
        "error",
        "a `see_also` id that exists in two kinds",
        "write `kind:id`",
    ),
    Check(
        ("dangling-link",),
        "error",
        "a link in text, `[x](role:id)`, to no such entity",
        "the hint suggests the closest id; write `kind:id` with an id that exists",
    ),
    Check(
        ("reports-to-cycle",),
        "error",
        "`reports_to` goes round in a circle",
        "the message shows the circle",
    ),
    Check(
        ("duplicate-order",),
        "error",
        "two lead stages with the same `order`",
        "give each stage its own position in the funnel (1, 2, 3, ...)",
    ),
    Check(
        ("duplicate-abbreviation",),
        "error",
        "the same abbreviation twice across roles, stages, KPIs and terms, ignoring case",
        "keep it on one entity; change or remove the other",
    ),
    Check(
        ("score-bands", "band-order"),
        "error",
        "alignment bands with a gap, an overlap, a band outside the possible totals, or `[high, low]`",
        "the hint gives the expected start",
    ),
    Check(
        ("retired-reference",),
        "error",
        "an entity that is in force refers to a `retired` one",
        "point to its replacement, or retire both",
    ),
    Check(
        ("raw-html",),
        "error",
        "HTML in any text field (`<script>`, `<img onerror=...>`, `<iframe>`, `<https://...>`)",
        "use Markdown; a `<` followed by a space is fine",
    ),
    Check(
        ("unsafe-url", "bad-link"),
        "error",
        "a `javascript:`, `vbscript:` or `data:` URL; a link to anything but `https://`, `http://`, `mailto:` or an entity",
        "link to https://..., mailto:... or an entity (`[text](role:id)`)",
    ),
    Check(
        ("bad-repository",),
        "error",
        "playbook.yml's `repository`: an address that is not https://HOST/ORG/REPO (`http:`, `javascript:`, `git@host:org/repo`, a user name or token before `@`, a query, a space, a page of the repository such as /tree/main), a branch name git refuses, or a host that the address does not name as GitHub or GitLab without `host:`",
        "write the address from the browser's address bar (https://github.com/ORG/REPO), the branch as git shows it, and `host: github` or `host: gitlab` for a host of your own",
    ),
    Check(
        ("misleading-link",),
        "error",
        "a link whose text holds a word that reads as an address (a URL, `www.` a host, a host and a path, an email address, or a domain `name.tld` anywhere in the words, whatever the TLD; file names such as `README.md` or `data.csv` are no domains, `ASP.NET` is one) but goes to another host or address: `[https://wiki.example.com](https://evil.example/)`, `[open northwind.com](https://evil.example/)`; the text is read after NFKC (fullwidth `：` and `．` are `:` and `.`); case, a final dot and `www.` are ignored, a non-ASCII or punycode host must be the same letters (`straße` is not `strasse`); a user name before `@` in the text or the target is refused; a mail link whose text is an address goes to that one address (no other recipients, no `to`/`cc`/`bcc`; `subject` and `body` are fine)",
        "make the text name where the link goes, or write words instead of an address (`[the forecast](https://...)`)",
    ),
    Check(
        ("unsafe-tag", "merge-key"),
        "error",
        "a YAML tag (`!!python/object`, `!secret`); a merge key `<<` (nothing is ever run)",
        "write plain values",
    ),
    Check(
        ("alias-limit", "alias-loop", "too-deep", "file-too-large"),
        "error",
        "an alias expansion bomb (more than 100,000 values), an alias inside its own anchor (`&a [*a]`), nesting deeper than 64 levels, a file over 2 MiB",
        "write the values out",
    ),
    Check(
        ("control-character",),
        "error",
        'an invisible control character in the file (a bell, a NUL), or in any value even when written as an escape (`"\\e[2J"`), or a right-to-left override (`U+202E`, "Trojan Source"), or a zero-width space (`U+200B`, `U+2060`, `U+FEFF`)',
        "delete it; the message names the character",
    ),
    Check(
        ("empty-file", "not-a-mapping"),
        "error",
        "a file with no fields; a file whose top level is a list or a single value",
        "write the file's fields as `name: value` lines (see the format reference)",
    ),
    Check(
        ("not-utf8",),
        "error",
        "a file that is not UTF-8 (the position of the first bad byte is given), or text garbled by a wrong encoding on the way (`â€™` for `’`, `Ã©` for `é`)",
        "save as UTF-8; for garbled text, the hint names the character meant",
    ),
    Check(
        ("tab-indent",),
        "error",
        "a tab, or a non-breaking space, used for indentation",
        "use spaces; `playbook fix` repairs it",
    ),
    Check(
        ("missing-playbook", "no-content"),
        "error",
        "no `playbook.yml`; no content directory",
        "create it, or pass `--content DIR`",
    ),
    Check(
        ("unreadable",),
        "error",
        "a `.yml` that cannot be read (a folder named `x.yml`, a broken link)",
        "make it a regular file, or remove it",
    ),
    Check(
        ("symlink-outside", "not-a-folder"),
        "error",
        "a symbolic link (file or folder) that leads outside the content directory; a `roles`, `leads`, `kpis` or `results` that is not a folder",
        "put the real files inside the content directory; make the folder a real folder",
    ),
    Check(
        ("schema-line",),
        "error",
        "a schema comment (`# yaml-language-server: $schema=...`, `$schema:`, a bare `# $schema=...`, JetBrains' `# $schema: ...`, on a line of its own or at the end of a value line) that names anything but the project's own schema for the file: an address on the web, a file outside the project; editors fetch what it names when the file is opened and show its text",
        "write `# yaml-language-server: $schema=../../schema/role.schema.json` (the path from the file to `schema/`, which `playbook schema` writes), or remove the line; `playbook fix` writes the right path",
    ),
    Check(
        ("unknown-file",),
        "warning",
        "a file that is not part of the format (`kpi.yml`, `roles/notes.txt`) and is ignored",
        "move it to where the format expects it (the hint names the place), or delete it",
    ),
    Check(
        ("trailing-comment",),
        "warning",
        'unquoted text followed by ` #...`: YAML drops the rest as a comment (`summary: Call within 24h #priority` keeps only "Call within 24h"); a value that starts with `#` is empty',
        "quote the whole value, or put the comment on its own line",
    ),
    Check(
        ("stale",),
        "warning",
        "a `review_by` date in the past",
        "review, then move the date",
    ),
    Check(
        ("draft-reference",),
        "publishing",
        "a definition that would be published (agreed, proposed or retired) refers to a `draft` one, which a published version leaves out: by a field (`owner`, `kpis`, `handoff.to`, `see_also`, `alignment.current`, ...) or a link in text; the message names both",
        "agree the draft first (`status: proposed` or `agreed`), or remove the reference; in ordinary builds this is no error",
    ),
    Check(
        ("draft-playbook",),
        "publishing",
        "`playbook.yml` itself has `status: draft`",
        "set `status: proposed` or `agreed`",
    ),
    Check(
        ("draft-diagnostic",),
        "publishing",
        "without its draft alignment stages or statements, the published self-assessment's score bands would not cover every total",
        "agree them, or change the other bands",
    ),
    Check(
        ("results-header",),
        "error",
        "a results file (`results/<kpi-id>.csv`) whose first line is not the header `period,value` (optionally with `note`): a missing, unknown or repeated column (`Period`, `values`), or cells separated by `;` or tabs",
        "write the header `period,value` or `period,value,note`; the hint suggests the closest column name",
    ),
    Check(
        ("results-row", "csv-syntax"),
        "error",
        "a row with more or fewer cells than the header (often `18,5` or `1,850` written without quotes, or a note with a comma), a note over 500 characters or one that starts with `=`, `+`, `-` or `@` (a spreadsheet would read it as a formula); a quote that opens a cell and is never closed",
        "write `18.5`; put a note that holds a comma in double quotes",
    ),
    Check(
        ("bad-number",),
        "error",
        "a `value` that is not a plain number: `18,5`, `18.5%`, `1,850`, `$400`, `4h`, `n/a`, an empty cell",
        "write the number only, with a point as decimal separator and no thousands separator, in the KPI's unit (a percent as `18.5`); to leave a period out, delete its row",
    ),
    Check(
        ("bad-period", "duplicate-period"),
        "error",
        "a `period` not written as `YYYY`, `YYYY-Qn`, `YYYY-MM`, `YYYY-Www` (ISO week) or `YYYY-MM-DD` (`Q3 2026`, `2026/07`, `2026-W7`), or one that does not exist (`2026-Q5`, `2025-W53`, `2026-02-30`); the same period in two rows",
        "the hint shows the period in the right form; keep one row per period",
    ),
    Check(
        ("period-form",),
        "error",
        "a period of another form than the KPI's `target.period` (a month in the results of a KPI whose target counts per quarter), or, for a KPI without `target.period`, a form other than the file's first row",
        "write the periods the target counts over, or change `target.period`",
    ),
    Check(
        ("implausible-value",),
        "error",
        "a value or a KPI's `target.value` that cannot be meant in the KPI's unit: a percent below -100 or above 1,000 (`1850`), a negative count, time or ratio, a time over ten years, a count over 1e12, a ratio over 1e6, a score beyond ±1e6, an amount beyond ±1e15",
        "write a percent as `18.5`; check the number",
    ),
    Check(
        ("future-period", "future-date"),
        "error",
        "a result for a period that has not begun yet; an activity entry dated after today",
        "check the year; record what happened once it has",
    ),
    Check(
        ("survey-header",),
        "error",
        "a survey round (`survey/<round>.csv`) whose first line is not `function`, optionally `team`, then statement ids: an unknown or repeated column (a statement id misspelt), no `function` column, an empty file",
        "write the header `function,team,<statement ids>`; the hint suggests the closest statement id",
    ),
    Check(
        ("survey-row", "survey-answer"),
        "error",
        "a survey row with more or fewer cells than the header, an unknown function (`sale`), a team name too long, starting with `=`, `+`, `-` or `@`, or holding refused characters; an answer that is not a whole number on the diagnostic's scale (`6`, `4.5`, `Agree`)",
        "write a function id, and each answer as 1 (strongly disagree) to 5 (strongly agree); leave a cell empty for no answer",
    ),
    Check(
        ("survey-round",),
        "error",
        "a survey round file not named by a period (`survey/Q3-2026.csv`), or a round that has not begun yet",
        "name the file by the period its answers were given in, as results periods are written: `2026-Q3.csv`, `2026-09.csv`",
    ),
    Check(
        ("survey-stage-differs",),
        "warning",
        "playbook.yml's hand-typed `alignment.current` is not the stage the latest survey round computes",
        "write the computed stage, or leave `current` out: the site shows the stage from the survey",
    ),
    Check(
        ("survey-import",),
        "error",
        "`playbook survey import` cannot match a column of the export to a statement, finds a close match not confirmed with `--yes`, an answer it cannot map to the scale, a function it does not know, or a round file that exists",
        "the message names the column or cell; confirm close matches with `--yes`, write `--overwrite` to replace a round",
    ),
    Check(
        ("unknown-kpi",),
        "error",
        "a results file named after no KPI (`results/win-rat.csv`)",
        "rename it to `<kpi-id>.csv`; the hint suggests the closest KPI",
    ),
    Check(
        ("no-results",),
        "warning",
        "a KPI (not draft or retired) without results, in a playbook that has a `results/` folder (not when its results file exists but has a problem of its own)",
        "add `results/<kpi-id>.csv`, or leave the warning until the first period is measured",
    ),
    Check(
        ("stale-results",),
        "warning",
        "a KPI with no result for the last full period of its cadence (reviewed quarterly, its latest result is older than the last quarter)",
        "add the missing period's row (or run the export that writes it)",
    ),
    Check(
        ("overdue-step",),
        "warning",
        "a checklist step with a cadence (not `ongoing`) whose cadence has passed since its last entry in `activity.yml`, or that has none, in a playbook that has `activity.yml` (an entry with a problem of its own still counts by its date; when its date or step cannot be read, the steps it may record are not checked)",
        "record the practice in `activity.yml` when it happens",
    ),
    Check(
        ("codeowners-outdated",),
        "warning",
        "a committed `.github/CODEOWNERS` beside the content (in its parent folder) no longer matches the `approvers` fields; the line is the first that differs",
        "run `playbook codeowners` and commit the file",
    ),
    Check(
        ("broken-link",),
        "error",
        "a link between two generated pages leads to no page or no section (a template that links wrongly; never the content's fault)",
        "fix the template, or report it as a bug",
    ),
)
CODES: dict[str, Check] = {code: check for check in CHECKS for code in check.codes}
