"""The self-assessment's "Add my answers to the team survey": the reader's answers as a row of the round
file, to copy or download, made in the page under the site's Content-Security-Policy; nothing is sent."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest

from .conftest import Site, Watch
from .test_site import answer, questions_of


@pytest.mark.parametrize("which", ["default_site"])
def test_the_readers_answers_become_a_row_of_the_team_survey(
    page: Any, watch: Watch, engine: str, which: str, request: pytest.FixtureRequest
) -> None:
    site: Site = request.getfixturevalue(which)
    questions = questions_of(site)
    page.goto(site.url + "alignment/")
    page.locator("#pb_survey_row_box summary").click()
    row = page.locator("#pb_survey_row")
    assert "Choose your function" in row.input_value()
    assert page.locator("#pb_survey_download").get_attribute("href") is None
    scores = [1 + index % 5 for index in range(len(questions))]
    answer(page, questions[:-1], scores[:-1])  # the last one left unanswered: blank
    page.locator("#pb_survey_function").select_option("sales")
    page.locator("#pb_survey_team").fill('=cmd|"EMEA, North"')
    text = row.input_value()
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["function", "team", *questions]
    assert rows[1] == ["sales", 'cmd|"EMEA, North"', *map(str, scores[:-1]), ""]
    with page.expect_download() as started:
        page.locator("#pb_survey_download").click()
    downloaded = started.value.path().read_text(encoding="utf-8")
    assert downloaded == text
    assert watch.errors == [] and watch.csp == [], (watch.errors, watch.csp)
    assert watch.foreign_hosts(site.url) == [], "nothing is sent anywhere"
