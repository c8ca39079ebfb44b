"""Under `serve`: after a bad edit, every page of the playbook shows the problems instead of the
page, so that the reader sees at once what to fix; the pages come back with the fix."""

from __future__ import annotations

from dataclasses import replace
from html import escape

from ..errors import Problem
from ..text import plural
from .pages import Page
from .project import Project


def problems_html(problems: list[Problem]) -> str:
    items = []
    for problem in problems:
        where = escape(problem.location())
        hint = f'<br><span class="pb-problem__hint">hint: {escape(problem.hint)}</span>' if problem.hint else ""
        items.append(
            f'<li class="pb-problem pb-problem--{escape(problem.severity)}"><code>{where}</code>: {escape(problem.message)}'
            f" <code>[{escape(problem.code)}]</code>{hint}</li>"
        )
    errors = sum(problem.severity == "error" for problem in problems)
    return (
        f'<h1 id="problems">The playbook has {plural(errors, "problem")}</h1>\n'
        '<p class="pb-problems__how">The last change to the content cannot be shown: fix what is listed here and'
        " save the file. This page shows the playbook again as soon as the content is valid.</p>\n"
        '<ul class="pb-problems">\n' + "\n".join(items) + "\n</ul>\n"
    )


def error_pages(project: Project, problems: list[Problem]) -> dict[str, Page]:
    """Every page of the last good build, showing the problems."""
    html = problems_html(problems)
    return {path: replace(page, html=html, headings=(), title="Problems in the playbook") for path, page in project.pages.items()}
