"""The hostile corpus: text a pull-request author can commit, and a playbook that holds all of it.

`ACCEPTED` are inputs validation lets through (they are text, however they look): each one must reach
the site as the text it is. `REFUSED` are inputs validation stops, each with the problem code it
gets. `hostile_playbook` writes a content folder that spreads the accepted inputs over every kind of
field, each input landing in two or three of them: names, abbreviations, definitions, criteria, formulas, responsibilities, onboarding steps,
the checklist, the alignment stages and statements, the glossary, the version and the titles (the
playbook's title always starts with the quote-breaking `TITLE`), the functions' names, the
numbers' notes; and ids chosen to collide with what scripts look up. Used by the browser test
(tests/browser/test_hostile.py) and by tests/test_hostile_corpus.py.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

# What would run if any layer decoded it once more: the page hooks these (alert & co., a window
# marker) and records every request; the test fails on any call, marker or request off 127.0.0.1.
ACCEPTED: list[str] = [
    # Entity-escaped markup: finding 1 (Material's striptags, abbr titles shown as HTML).
    "&lt;/title&gt;&lt;img src=x onerror=alert(1)&gt;",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "&#60;img src=x onerror=alert(1)&#62;",
    "&#x3c;svg onload=alert(1)&#x3e;",
    "&amp;lt;img src=x onerror=alert(1)&amp;gt;",
    '&lt;iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;"&gt;',
    "&lt;a href=javascript&#58;alert(1)&gt;click&lt;/a&gt;",
    "&lt;img src=//evil.example/pixel.png&gt;",
    "&lt;link rel=stylesheet href=https://evil.example/x.css&gt;",
    '&lt;meta http-equiv=refresh content="0;url=https://evil.example"&gt;',
    "&lt;base href=https://evil.example/&gt;",
    "&lt;style&gt;@import 'https://evil.example/x.css'&lt;/style&gt;",
    "&lt;details open ontoggle=alert(1)&gt;",
    "&lt;input autofocus onfocus=alert(1)&gt;",
    "&lt;math&gt;&lt;mtext&gt;&lt;table&gt;&lt;mglyph&gt;&lt;style&gt;&lt;img src=x onerror=alert(1)&gt;",
    '&lt;noscript&gt;&lt;p title="&lt;/noscript&gt;&lt;img src=x onerror=alert(1)&gt;"&gt;',
    "&lt;/script&gt;&lt;script&gt;window.__pwned=1&lt;/script&gt;",
    "&lt;/textarea&gt;&lt;svg/onload=alert(1)&gt;",
    "&lt;!-- --&gt;&lt;img src=x onerror=alert(1)&gt;",
    "&lt;?xml version=1?&gt;&lt;x onclick=alert(1)&gt;",
    "&NewLine;&Tab;javascript&colon;alert(1)",
    "vbscript&#58;msgbox(1)",
    # Attribute breaking: a quote that ends the attribute a value lands in.
    '" onmouseover="alert(1)" x="',
    "' onfocus='alert(1)' autofocus x='",
    '"&gt;&lt;img src=x onerror=alert(1)&gt;',
    "` onmouseover=alert(1) `",
    'x" data-md-component="search',
    "&quot; onmouseover=&quot;alert(1)",
    "&#34; autofocus onfocus=&#34;alert(1)",
    # The theme prints names inside its own attributes (the logo link's aria-label): issue 21, finding 1.
    'Acme http-equiv="Content-Security-Policy" onfocus="alert(1)" autofocus x="',
    "Acme' onfocus='alert(1)' autofocus x='",
    "Acme\" onmouseover='alert(1)' tabindex=\"1",
    # The words of a policy anywhere on a page (a role's `owns`): it keeps its own policy (finding 2).
    'x http-equiv="Content-Security-Policy" content="default-src *; script-src * \'unsafe-inline\'"',
    "&lt;meta http-equiv=Content-Security-Policy content=&quot;script-src *&quot;&gt;",
    # Links: finding 2 (where a link ends, what the browser resolves).
    "[x](https://good.example/a_(b)c) and (https://evil.example)",
    "[Sales](https://en.example.org/Sales_(process))",
    '[a](https://good.example/x(y) "title") [b](https://evil.example',
    '[click](https://good.example/" onclick="alert(1))',
    "[x](https://good.example/%3Cscript%3Ealert(1)%3C/script%3E)",
    "![pixel](https://evil.example/pixel.png)",
    "[x](javascript&#58;alert(1)) and [y](file:///etc/passwd)",  # no link at all: shown as text
    "[x][ref] and [ref]: https://evil.example/ref",
    "[a]( https://good.example/ 'q' ) [b]( https://good.example/x )",
    "[nested [link](https://evil.example)](https://good.example)",
    "[mail](mailto:someone@example.com?subject=%3Cscript%3E)",
    "((((((((((((((((((((((((((((((((((((((((((((((((((x",
    "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[](((((((((((((",
    # Markdown an engine might read: none of it may become structure or attributes.
    "**bold _nested *deep* more_ done**",
    "`&lt;img src=x onerror=alert(1)&gt;` in a code span",
    "*[HX]: &lt;img src=x onerror=alert(1)&gt;",
    '{: onclick="alert(1)" } and {#pb_self_assessment .md-search}',
    "---",
    "| a | b | and |---|---|",
    "$$ \\alert(1) $$ and \\(x\\)",
    ":material-alert: :fontawesome-brands-github: :octicons-mark-github-16:",
    "==mark== ^^ins^^ ~~del~~ ++ctrl+alt+del++",
    '!!! danger "x" and ??? note',
    "[^1] and [^1]: https://evil.example/foot",
    "***___***___***",
    "\\\\\\\\\\\\\\\\ \\* \\_ \\` \\[",
    # Templates and interpolation: content is data, never a template.
    "{{ config.site_name }}{{ 7*7 }}",
    "{% for x in range(99999999) %}x{% endfor %}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "${alert(1)} #{alert(1)} {{constructor.constructor('alert(1)')()}}",
    "%3Cscript%3Ealert(1)%3C/script%3E",
    "\\u003cimg src=x onerror=alert(1)\\u003e and \\x3cscript\\x3e",
    # Look-alikes and other scripts.
    "＜script＞alert(1)＜/script＞",
    "‹img src=x onerror=alert(1)›",
    "﹤script﹥alert(1)﹤/script﹥",
    "a̸͓̾ẹ́ combining marks",
    "💥🔥 emoji and ℌ𝔢𝔩𝔩𝔬 letters",
    "مرحبا بالعالم and שלום עולם",
    # Scripts on the page: search, the self-assessment, the tooltips.
    '"); alert(1); ("',
    "'-alert(1)-'",
    "constructor __proto__ toString hasOwnProperty",
    "title:* +foo -bar ~2 ^10 foo* *bar",
    "< 5 and > 3 & done",
    # What other consumers read: the pull request's Markdown, spreadsheets.
    "@everyone @octocat and @org/team",
    '=HYPERLINK("https://evil.example","x")',
    ";=1+1 and -1+1",
    "+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1 after a tab",
]

# The pieces random hostile text is made of (the property test joins a few of them at random).
FRAGMENTS = [
    *"<>&\"'`*_[]()!{}:#|\\-= /;@+\t",
    "lt;",
    "gt;",
    "#60;",
    "#x3c;",
    "amp;",
    "quot;",
    "#34;",
    "#39;",
    "colon;",
    "NewLine;",
    "img",
    "svg",
    "script",
    "iframe",
    "style",
    "title",
    "abbr",
    "a ",
    "/",
    "x",
    " src=x",
    " onerror=alert(1)",
    " onload=alert(1)",
    " onmouseover=alert(1)",
    " autofocus onfocus=alert(1)",
    "javascript",
    "javascript&#58;",
    "alert(1)",
    "window.__pwned=1",
    "//evil.example/p.png",
    "https://evil.example",
    "https://good.example/a_(b)",
    "](",
    "[x](https://good.example/",
    "![i](https://evil.example/i.png)",
    "{{ 7*7 }}",
    "{% raw %}",
    "${x}",
    "*[HX]: ",
    "{: onclick=alert(1) }",
    "---",
    "```",
    "$$",
    "\u003c",
    "%3C",
    "＜",
    "﹤",
    "‹",
    "\u200d",
    "é",
    "💥",
    "مرحبا",
]

# What validation stops, with the code it reports (the same text, one layer less escaped).
REFUSED: list[tuple[str, str]] = [
    ("<script>alert(1)</script>", "raw-html"),
    ("<img src=x onerror=alert(1)>", "raw-html"),
    ("</title><img src=x onerror=alert(1)>", "raw-html"),
    ("<!-- comment -->", "raw-html"),
    ("<?php echo 1 ?>", "raw-html"),
    ("`<img src=x onerror=alert(1)>`", "raw-html"),
    ("\\<img src=x onerror=alert(1)\\>", "raw-html"),
    ("<https://evil.example>", "raw-html"),
    ("[x](javascript:alert(1))", "unsafe-url"),
    ("[x](JaVaScRiPt:alert(1))", "unsafe-url"),
    ("javascript :alert(1)", "unsafe-url"),
    ("see data:text/html;base64,PHNjcmlwdD4=", "unsafe-url"),
    ("[x](vbscript:msgbox(1))", "unsafe-url"),
    ("[x](ftp://files.example/list)", "bad-link"),
    ("[x](//evil.example/x)", "bad-link"),
    ("[b](<https://evil.example/x> )", "raw-html"),
    # A link's text names one host and the link goes to another (issue 21, finding 12).
    ("[https://wiki.northwind.example/forecast](https://evil.example/login)", "misleading-link"),
    ("[**WWW.Northwind.example.**](https://northwind.example.evil.example/)", "misleading-link"),
    ("[sales@northwind.example](mailto:sales@evil.example)", "misleading-link"),
]

# Ids that collide with what scripts look up: properties every JavaScript object has, window
# properties, ids Material or the site's script use.
HOSTILE_IDS = ["constructor", "prototype", "tostring", "valueof", "top", "location", "search", "md-content", "alert"]

ABBREVIATIONS = [
    "&lt;b&gt;",
    '"HX',
    "O'HX",
    "HX.*",
    "HX|SQL",
    "$HX",
    "(?:HX",
    "&amp;HX",
    "HX&#34;",
    "{{HX}}",
]


# The playbook's title always starts with this: the site's name is printed in attributes of every page.
TITLE = 'Acme http-equiv="Content-Security-Policy" onfocus="alert(1)" autofocus x="'


def _q(text: str) -> str:
    """A YAML scalar holding exactly `text` (JSON is YAML; keeps backslashes and quotes)."""
    return json.dumps(text, ensure_ascii=False)


class _Cycle:
    """Hands out the corpus in turn, so that every input lands in several kinds of field."""

    def __init__(self, items: list[str]) -> None:
        self.items, self.at = items, 0

    def __call__(self) -> str:
        item = self.items[self.at % len(self.items)]
        self.at += 1
        return item

    def many(self, n: int) -> list[str]:
        return [self() for _ in range(n)]


def hostile_playbook(root: Path, corpus: list[str] | None = None, *, rounds: int = 1, numbers: bool = True) -> Path:
    """A content folder with `corpus` (ACCEPTED by default) in every kind of field, `rounds` times over
    (`numbers`: with results files and an activity record)."""
    items = list(corpus if corpus is not None else ACCEPTED)
    take = _Cycle(items)
    files: dict[str, str] = {}
    roles = max(4, len(items) * rounds // 12)
    abbreviation = _Cycle(ABBREVIATIONS)

    def short(k: int) -> str:
        return f"{abbreviation()}{k}"

    role_ids = [f"role-{k}" for k in range(roles)]
    role_ids[: len(HOSTILE_IDS)] = HOSTILE_IDS[: min(len(HOSTILE_IDS), roles)]
    abbreviations: list[str] = []
    for k, role_id in enumerate(role_ids):
        abbr = short(k)
        abbreviations.append(abbr)
        files[f"roles/{role_id}.yml"] = (
            "\n".join(
                [
                    f"name: {_q(take() + f' R{k}')}",
                    f"abbreviation: {_q(abbr)}",
                    f"function: {'sales' if k % 2 else 'marketing'}",
                    f"summary: {_q(take())}",
                    f"owns: {_q(take())}",
                    "responsibilities:",
                    *(f"  - {_q(text)}" for text in [*take.many(2), f"Works with {abbreviations[k - 1]} every week."]),
                    "not_responsible_for:",
                    f"  - {_q(take())}",
                    *([f"reports_to: {role_ids[0]}"] if k else []),
                    "onboarding:",
                    *(f"  - {_q(text)}" for text in take.many(2)),
                    f"notes: {_q(take())}",
                ]
            )
            + "\n"
        )
    leads = 6
    lead_ids = [f"stage-{k}" for k in range(leads)]
    for k, lead_id in enumerate(lead_ids):
        abbr = short(100 + k)
        abbreviations.append(abbr)
        lines = [
            f"name: {_q(take() + f' L{k}')}",
            f"abbreviation: {_q(abbr)}",
            f"order: {k + 1}",
            f"definition: {_q(take() + ' Unlike ' + abbreviations[k] + '.')}",
            f"owner: {role_ids[k % roles]}",
            "entry_criteria:",
            *(f"  - {_q(text)}" for text in take.many(2)),
            "exit_criteria:",
            f"  - {_q(take())}",
            "reason_codes:",
            f"  - {_q(take())}",
            "crm:",
            f"  salesforce: {_q(take())}",
        ]
        if k + 1 < leads:
            lines += ["handoff:", f"  to: {role_ids[(k + 1) % roles]}", f"  sla_hours: {4 * (k + 1)}"]
        files[f"leads/{lead_id}.yml"] = "\n".join(lines) + "\n"
    kpi_ids = [f"kpi-{k}" for k in range(8)]
    for k, kpi_id in enumerate(kpi_ids):
        abbr = short(200 + k)
        abbreviations.append(abbr)
        files[f"kpis/{kpi_id}.yml"] = (
            "\n".join(
                [
                    f"name: {_q(take() + f' K{k}')}",
                    f"abbreviation: {_q(abbr)}",
                    f"definition: {_q(take())}",
                    f"formula: {_q(take())}",
                    "unit: percent",
                    f"direction: {'higher' if k % 2 else 'lower'}",
                    f"owner: {role_ids[k % roles]}",
                    f"shared_with: [{role_ids[(k + 1) % roles]}]",
                    "target:",
                    f"  value: {20 + k}",
                    "  period: quarter",
                    "cadence: quarterly",
                    f"stages: [{lead_ids[k % leads]}]",
                    f"source: {_q(take())}",
                ]
            )
            + "\n"
        )
        notes = take.many(3)
        files[f"results/{kpi_id}.csv"] = "period,value,note\n" + "".join(
            f'2026-Q{q + 1},{18 + k + q},"note {note.replace(chr(34), chr(34) * 2)}"\n' for q, note in enumerate(notes)
        )
    steps = [f"step-{k}" for k in range(6)]
    files["checklist.yml"] = "steps:\n" + "".join(
        textwrap.indent(
            "\n".join(
                [
                    f"- id: {step}",
                    f"  title: {_q(take() + f' S{k}')}",
                    f"  description: {_q(take())}",
                    f"  owner: {role_ids[k % roles]}",
                    f"  participants: [{role_ids[(k + 1) % roles]}]",
                    "  cadence: quarterly",
                    f"  evidence: {_q(take())}",
                    f"  kpis: [{kpi_ids[k % len(kpi_ids)]}]",
                ]
            ),
            "  ",
        )
        + "\n"
        for k, step in enumerate(steps)
    )
    files["activity.yml"] = "entries:\n" + "".join(
        f"  - step: {step}\n    date: 2026-0{k + 1}-15\n    note: {_q(take())}\n    link: https://good.example/notes/{k}\n"
        for k, step in enumerate(steps)
    )
    bands = [(2, 3), (4, 5), (6, 8), (9, 10)]
    stage_ids = ["constructor", "pb-assessment-result", "tostring", "valueof"]
    files["alignment.yml"] = (
        "stages:\n"
        + "".join(
            f"  - id: {stage_id}\n    name: {_q(take() + f' A{k}')}\n    score: [{low}, {high}]\n"
            f"    description: {_q(take())}\n    signals:\n      - {_q(take())}\n    next_steps:\n      - {_q(take())}\n"
            for k, (stage_id, (low, high)) in enumerate(zip(stage_ids, bands, strict=True))
        )
        + "questions:\n"
        + "".join(
            f"  - id: {question}\n    text: {_q(take() + f' Q{k}')}\n"
            for k, question in enumerate(["hasownproperty", "prototype"])
        )
    )
    terms = max(10, len(items) * rounds // 8)
    files["glossary.yml"] = "terms:\n" + "".join(
        f"  - id: term-{k}\n    term: {_q(take() + f' T{k}')}\n    abbreviation: {_q(short(300 + k))}\n"
        f"    definition: {_q(take() + ' See ' + abbreviations[k % len(abbreviations)] + '.')}\n"
        for k in range(terms)
    )
    files["playbook.yml"] = (
        "\n".join(
            [
                f"title: {_q(TITLE + ' ' + take() + ' Playbook')}",
                f"organization: {_q(take())}",
                f"summary: {_q(take())}",
                f"version: {_q('1.0 ' + take())}",
                "functions:",
                f"  - id: sales\n    name: {_q(take() + ' F0')}",
                f"  - id: marketing\n    name: {_q(take() + ' F1')}",
                "alignment:",
                f"  current: {stage_ids[1]}",
                f"  target: {stage_ids[2]}",
                f"notes: {_q(take())}",
            ]
        )
        + "\n"
    )
    while take.at < len(items) * rounds:  # every input placed at least `rounds` times
        files[f"roles/extra-{take.at}.yml"] = (
            f"name: {_q(take() + f' X{take.at}')}\nfunction: sales\nsummary: {_q(take())}\nresponsibilities:\n  - {_q(take())}\n"
        )
    if not numbers:
        files = {rel: text for rel, text in files.items() if not rel.startswith("results/") and rel != "activity.yml"}
    root.mkdir(parents=True, exist_ok=True)
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root
