"""The team survey on the site: where the teams stand, where they disagree, what moved, what to do next.

Everything here is read from `content.survey_numbers.public_rounds`, the privacy-filtered view of the
rounds: no row, no team below the threshold and no number of a group below it reaches a page. The
stage score over the rounds is drawn by the scorecard's chart code (`site.charts`) as the results of
a KPI in points, with the target stage's lowest score as its target line. Pure.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from fractions import Fraction

from markupsafe import Markup

from ..content.markup import plain_text
from ..content.periods import Result
from ..content.refs import references
from ..content.schema import AlignmentStage, Kpi, Playbook, Target
from ..content.survey_numbers import Gap, Group, Move, RoundView, gaps, lowest_statements, moves, one_decimal, public_rounds
from ..text import plural
from .charts import results_chart_svg

ABOUT_KINDS = ("step", "kpi", "lead")  # what a statement's disagreement links to
_WORD_RE = re.compile(r"[a-z]{4,}")
_COMMON = frozenset(
    "with that this them they their from have each every what which when both into than then your ours more most only once"
    " also same other team teams least together marketing sales month year quarter".split()
)


@dataclass(frozen=True)
class StageRow:
    """One group's line in a table: its name, respondents, score and stage."""

    name: str
    respondents: int
    score: str  # 58.3; "" when nobody answered
    stage: str  # stage id, "" when the score is in no band


@dataclass(frozen=True)
class NextStep:
    text: str  # as written (inline Markdown)
    statement: str  # the lowest-scoring statement it speaks to (id), "" when none
    mean: str  # that statement's mean


def _words(text: str) -> set[str]:
    return {word.rstrip("s") for word in _WORD_RE.findall(plain_text(text).lower()) if word not in _COMMON}


def signed(change: Fraction) -> str:
    """+0.4, -1.0; 0.0 for a change too small to show."""
    shown = one_decimal(change)
    return shown if shown.startswith("-") or shown == "0.0" else "+" + shown


class SurveyView:
    """What the alignment and home pages show of the survey; `shown` is false without a round."""

    def __init__(self, playbook: Playbook) -> None:
        self.playbook = playbook
        self.rounds: tuple[RoundView, ...] = public_rounds(playbook) if playbook.survey else ()
        self.questions = list(playbook.questions)

    @property
    def shown(self) -> bool:
        return bool(self.rounds)

    @property
    def latest(self) -> RoundView:
        return self.rounds[-1]

    @property
    def previous(self) -> RoundView | None:
        return self.rounds[-2] if len(self.rounds) > 1 else None

    @property
    def threshold(self) -> int:
        return self.playbook.meta.survey_min_group

    def stage(self) -> AlignmentStage | None:
        """The stage the latest round places everyone in."""
        overall = self.latest.overall if self.rounds else None
        return self.playbook.stages.get(overall.stage or "") if overall is not None else None

    def function_name(self, function_id: str) -> str:
        return self.playbook.function_name(function_id) if function_id else "Everyone"

    def rows(self, view: RoundView) -> list[StageRow]:
        """Everyone, then each function shown, for a table."""
        groups: list[tuple[str, Group | None]] = [("", view.overall), *view.functions.items()]
        return [
            StageRow(
                self.function_name(key),
                group.respondents,
                one_decimal(group.score) if group.score is not None else "",
                group.stage or "",
            )
            for key, group in groups
            if group is not None
        ]

    def team_rows(self) -> list[StageRow]:
        return [
            StageRow(name, group.respondents, one_decimal(group.score) if group.score is not None else "", group.stage or "")
            for name, group in self.latest.teams.items()
        ]

    def withheld(self, view: RoundView | None = None) -> list[str]:
        """A sentence for each function held back: how many more answers would show it."""
        view = view or self.latest
        said = []
        for function_id, needed in view.withheld.items():
            name = self.function_name(function_id)
            if needed:
                said.append(f"{plural(needed, 'more answer')} from {name} would show its numbers.")
            else:
                said.append(f"{name}'s numbers are held back so that a smaller group's answers cannot be worked out from them.")
        if view.overall is None:
            said.insert(0, f"{plural(view.threshold - view.respondents, 'more answer')} would show the round's numbers.")
        return said

    @functools.cached_property
    def gaps(self) -> list[Gap]:
        return gaps(self.latest, self.questions)

    def gap_text(self, gap: Gap) -> str:
        """ "Sales scores it 1.5; Customer Success 2.2; Marketing 4.3", lowest first."""
        parts = [f"{self.function_name(function_id)} {one_decimal(mean)}" for function_id, mean in gap.means]
        first, rest = parts[0].rsplit(" ", 1), parts[1:]
        return f"{first[0]} scores it {first[1]}; " + "; ".join(rest)

    @functools.cached_property
    def about(self) -> dict[str, list[tuple[str, str]]]:
        """Statement id -> the (kind, id) of the checklist steps, KPIs and lead stages it names (see_also, links in its text)."""
        found: dict[str, list[tuple[str, str]]] = {}
        for ref in references(self.playbook):
            if ref.kind == "question" and ref.target_kind in ABOUT_KINDS:
                targets = found.setdefault(ref.id, [])
                if (ref.target_kind, ref.target_id) not in targets and ref.target_id in self.playbook.collection(ref.target_kind):
                    targets.append((ref.target_kind, ref.target_id))
        return found

    @functools.cached_property
    def moves(self) -> list[Move]:
        return moves(self.previous, self.latest, self.questions) if self.previous is not None else []

    def move_text(self, move: Move) -> str:
        """ "Marketing moved from Defined to Aligned (55.9 to 67.1)", or "Sales stayed at Defined (47.6 to 51.0)"."""
        name, before, after = self.function_name(move.function), self._stage_name(move.before), self._stage_name(move.after)
        scores = ""
        if move.before.score is not None and move.after.score is not None:
            scores = f" ({one_decimal(move.before.score)} to {one_decimal(move.after.score)})"
        if before != after:
            return f"{name} moved from {before} to {after}{scores}"
        return f"{name} stayed at {after}{scores}"

    def _stage_name(self, group: Group) -> str:
        stage = self.playbook.stages.get(group.stage or "")
        return plain_text(stage.name) if stage is not None else "no stage"

    def statement_moves(self) -> list[tuple[str, list[str]]]:
        """(statement id, the change of each move's group, "" where not shown or unchanged) for every statement that moved."""
        rows = []
        for question in self.questions:
            cells = []
            for move in self.moves:
                change = next((after - before for q, before, after in move.statements if q == question), None)
                cells.append("" if change is None else signed(change))
            if any(cells):
                rows.append((question, cells))
        return rows

    def next_steps(self) -> list[NextStep]:
        """The computed stage's next steps, those that speak to the lowest-scoring statements first
        (a step speaks to a statement when they share words); the others after, in their order."""
        stage, overall = self.stage(), self.latest.overall
        if stage is None or overall is None:
            return []
        lowest = lowest_statements(overall, self.questions)
        words = {question: _words(self.playbook.questions[question].text) for question in lowest}
        ranked: list[tuple[int, int, NextStep]] = []
        for index, step in enumerate(stage.next_steps):
            mine = _words(step)
            match = next((rank for rank, question in enumerate(lowest) if len(words[question] & mine) >= 2), None)
            if match is None:
                ranked.append((len(lowest), index, NextStep(step, "", "")))
            else:
                question = lowest[match]
                ranked.append((match, index, NextStep(step, question, one_decimal(overall.means[question]))))
        return [step for _rank, _index, step in sorted(ranked, key=lambda item: item[:2])]

    @functools.cached_property
    def chart_kpi(self) -> Kpi:
        """The stage score as a KPI in points, for the scorecard's chart: the target stage's lowest score its target."""
        target = self.playbook.stages.get(self.playbook.meta.alignment.target or "")
        return Kpi.model_construct(
            id="survey-stage-score",
            definition="",
            formula="",
            owner="",
            name="Stage score of everyone",
            unit="score",
            currency=None,
            direction="higher",
            target=Target.model_construct(value=float(target.score[0]), period=None) if target is not None else None,
        )

    def chart(self) -> Markup:
        """The overall stage score over the rounds as an inline SVG (its text alternative inside, every
        text in it escaped by `site.charts`); empty with fewer than two rounds."""
        results = [
            Result(view.period, float(one_decimal(view.overall.score)))
            for view in self.rounds
            if view.overall is not None and view.overall.score is not None
        ]
        return Markup(results_chart_svg(self.chart_kpi, results) if len(results) > 1 else "")

    def history(self) -> list[tuple[str, list[str]]]:
        """(round, the score of everyone and of each function shown in any round, "" where held back), oldest first."""
        return [(view.period.text, [self._score(view, key) for key in self.history_keys()]) for view in self.rounds]

    @functools.cache  # noqa: B019 (one view a render)
    def history_keys(self) -> tuple[str, ...]:
        shown = {key for view in self.rounds for key in view.functions}
        return ("", *(key for key in self.playbook.functions() if key in shown))

    @staticmethod
    def _score(view: RoundView, key: str) -> str:
        group = view.overall if key == "" else view.functions.get(key)
        return one_decimal(group.score) if group is not None and group.score is not None else ""

    def statement_text(self, question: str) -> str:
        return self.playbook.questions[question].text


__all__ = ["SurveyView"]
