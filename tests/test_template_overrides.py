"""A playbook repository overrides the bundled templates file by file.

Its own `templates/` folder beside mkdocs.yml (or the folder the plugin's `templates:` option
names) is searched first, then the bundled templates: a `templates/role.html.j2` there changes the
role pages and nothing else, a partial (`_onboarding.html.j2`) is found the same way, and a
template saved there while `serve` runs is compiled again at the next rebuild.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest

from conftest import REPO, make_site_project, run_cli, write_content
from playbook_site.content import load
from playbook_site.publishing.engines import settings_of
from playbook_site.site.render import default_templates_dir, render, repository_templates, template_dirs

TODAY = date(2026, 11, 23)
MARK = '<p class="custom-role">Northwind\'s own role page</p>\n'


def own_role_template(folder: Path) -> Path:
    """`folder/role.html.j2`: the bundled role page with one paragraph added at the top."""
    folder.mkdir(parents=True, exist_ok=True)
    bundled = (default_templates_dir() / "role.html.j2").read_text(encoding="utf-8")
    path = folder / "role.html.j2"
    path.write_text(MARK + bundled, encoding="utf-8")
    return path


def test_the_repositorys_role_template_changes_the_role_pages_and_nothing_else(tmp_path: Path) -> None:
    playbook = load(write_content(tmp_path / "content"))
    own_role_template(tmp_path / "templates")
    bundled = render(playbook, today=TODAY)
    overridden = render(playbook, tmp_path / "templates", today=TODAY)
    assert set(bundled) == set(overridden)
    changed = sorted(path for path in bundled if bundled[path] != overridden[path])
    assert changed == sorted(path for path in bundled if path.startswith("roles/") and path != "roles/index.md")
    for path in changed:
        assert overridden[path].html == MARK.rstrip("\n") + bundled[path].html  # (the template starts with {#- ... -#})
        assert (overridden[path].title, overridden[path].headings) == (bundled[path].title, bundled[path].headings)


def test_a_partial_is_overridden_from_the_bundled_page_that_includes_it(tmp_path: Path) -> None:
    playbook = load(write_content(tmp_path / "content", {"roles/account-executive.yml": ROLE_WITH_ONBOARDING}))
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "_onboarding.html.j2").write_text(
        '<ol class="our-onboarding">{% for step in role.onboarding %}<li>{{ step | inline }}</li>{% endfor %}</ol>\n',
        encoding="utf-8",
    )
    page = render(playbook, folder, today=TODAY)["roles/account-executive.md"].html
    assert '<ol class="our-onboarding"><li>Shadow two calls.</li><li>Run one call.</li></ol>' in page
    assert "pb-onboarding" not in page
    assert render(playbook, today=TODAY)["roles/account-executive.md"].html.count("pb-onboarding") > 0


ROLE_WITH_ONBOARDING = """
    name: Account Executive
    abbreviation: AE
    function: sales
    summary: Closes deals.
    responsibilities:
      - Runs discovery calls.
    reports_to: sales-manager
    kpis: [win-rate]
    onboarding:
      - Shadow two calls.
      - Run one call.
"""


def test_a_template_saved_under_serve_is_compiled_again(tmp_path: Path) -> None:
    playbook = load(write_content(tmp_path / "content"))
    path = own_role_template(tmp_path / "templates")
    first = render(playbook, tmp_path / "templates", today=TODAY)["roles/account-executive.md"].html
    assert "Northwind's own role page" in first
    path.write_text(path.read_text(encoding="utf-8").replace("own role page", "edited role page"), encoding="utf-8")
    info = path.stat()
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns + 1_000_000_000))  # a later save, even on a coarse clock
    second = render(playbook, tmp_path / "templates", today=TODAY)["roles/account-executive.md"].html
    assert "Northwind's edited role page" in second and "own role page" not in second


@pytest.mark.source  # the source tree's templates/ beside the package
def test_where_the_repositorys_templates_are(tmp_path: Path) -> None:
    assert repository_templates(tmp_path) is None  # no folder: the bundled templates alone
    (tmp_path / "templates").mkdir()
    assert repository_templates(tmp_path) == tmp_path / "templates"
    assert repository_templates(tmp_path, "site-templates") == tmp_path / "site-templates"
    assert template_dirs(None) == (default_templates_dir().resolve(),)
    assert template_dirs(tmp_path / "templates") == ((tmp_path / "templates").resolve(), default_templates_dir().resolve())
    # This repository's own templates/ is the bundled folder: looked up once.
    assert template_dirs(REPO / "templates") == (default_templates_dir().resolve(),)
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: x\nplugins:\n  - playbook\n", encoding="utf-8")
    assert settings_of(config).templates == tmp_path / "templates"
    config.write_text("site_name: x\nplugins:\n  - playbook:\n      templates: site-templates\n", encoding="utf-8")
    assert settings_of(config).templates == tmp_path / "site-templates"


def test_a_strict_build_uses_the_repositorys_templates(tmp_path: Path) -> None:
    project = make_site_project(tmp_path / "repo")
    write_content(project / "content")
    own_role_template(project / "templates")
    result = run_cli("build", cwd=project)
    assert result.exit_code == 0, result.output
    site = project / "site"
    assert "Northwind's own role page" in (site / "roles" / "account-executive" / "index.html").read_text(encoding="utf-8")
    assert "Northwind's own role page" not in (site / "kpis" / "index.html").read_text(encoding="utf-8")
    assert "Northwind's own role page" not in (site / "roles" / "index.html").read_text(encoding="utf-8")


def test_the_plugin_option_names_another_folder(tmp_path: Path) -> None:
    project = tmp_path / "repo"
    write_content(project / "content")
    own_role_template(project / "site-templates")
    (project / "mkdocs.yml").write_text(
        "site_name: Test\nplugins:\n  - playbook:\n      templates: site-templates\n", encoding="utf-8"
    )
    result = run_cli("build", cwd=project)
    assert result.exit_code == 0, result.output
    page = (project / "site" / "roles" / "account-executive" / "index.html").read_text(encoding="utf-8")
    assert "Northwind's own role page" in page
