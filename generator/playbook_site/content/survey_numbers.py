"""The survey's numbers: each round's aggregates, with the privacy threshold applied. Pure.

A group of respondents (a function, a team, everyone) has, per statement, the mean of its answers
(blank cells are no answer). Its stage score is the mean of those statement means times the number of
statements: what one respondent's total would be (the self-assessment adds the answers), so it falls
in the stage bands of alignment.yml. Rounded half up to a whole number, it is placed in the band that
holds it. Numbers are kept as exact fractions, so a score of 59.5 is 60 on every machine.

Privacy: `public_round` is the only view the site, the exports and the change report get. A group
with fewer respondents than the threshold (playbook.yml `survey_min_group`, 5 by default) shows
nothing but how many more answers would show it; a team below it is not even named; a statement's
mean is shown only when at least the threshold answered it. The rows never leave `content`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from fractions import Fraction
from typing import Any

from ..errors import Problem
from .periods import Period, Response, SurveyRound, parse_period
from .schema import AlignmentStage, Playbook
from .yaml_reader import Source

GAPS = 3  # the statements with the largest gaps the site names


@dataclass(frozen=True)
class Group:
    """A group of respondents at or above the threshold: its count, statement means and stage."""

    respondents: int
    means: Mapping[str, Fraction]  # statement id -> mean answer, only those answered by at least the threshold
    score: Fraction | None  # None when nobody answered anything
    stage: str | None  # the stage whose band holds the rounded score


@dataclass(frozen=True)
class RoundView:
    """One round as anyone may see it: nothing of a group below the threshold but its shortfall."""

    period: Period
    threshold: int
    respondents: int
    overall: Group | None
    functions: Mapping[str, Group]  # in the playbook's order of functions
    # function id -> how many more answers would show it (0: held back so that a smaller group cannot be worked out)
    withheld: Mapping[str, int]
    teams: Mapping[str, Group]  # teams at or above the threshold, by name
    teams_withheld: int = 0  # how many teams have fewer answers than the threshold


def rounded(value: Fraction) -> int:
    """Half up: 59.5 -> 60."""
    return int((value * 2 + 1) // 2)


def stage_of(score: Fraction | None, stages: Sequence[AlignmentStage]) -> str | None:
    if score is None:
        return None
    whole = rounded(score)
    return next((stage.id for stage in stages if stage.score[0] <= whole <= stage.score[1]), None)


def _means(responses: Sequence[Response], questions: Sequence[str]) -> dict[str, tuple[Fraction, int]]:
    """Statement id -> (mean answer, number of answers), for the statements anyone answered."""
    found: dict[str, tuple[Fraction, int]] = {}
    for question in questions:
        answers = [response.answers[question] for response in responses if question in response.answers]
        if answers:
            found[question] = (Fraction(sum(answers), len(answers)), len(answers))
    return found


def group_of(responses: Sequence[Response], questions: Sequence[str], stages: Sequence[AlignmentStage], threshold: int) -> Group:
    """The aggregates of `responses` (every statement's mean counts in the score; a mean is shown
    only when at least `threshold` answered it)."""
    means = _means(responses, questions)
    score = sum((mean for mean, _count in means.values()), Fraction(0)) / len(means) * len(questions) if means else None
    shown = {question: mean for question, (mean, count) in means.items() if count >= threshold}
    return Group(len(responses), shown, score, stage_of(score, stages))


def suppressed(counts: Mapping[str, int], total: int, threshold: int) -> list[str]:
    """The keys of `counts` that may be shown beside a total of `total`: those at or above the
    threshold, less the smallest of them while what is held back (the total less what is shown) is
    more than none and less than the threshold, so that no small group is the difference of two
    numbers on the page (complementary suppression)."""
    shown = [key for key, count in counts.items() if count >= threshold]
    while shown and 0 < total - sum(counts[key] for key in shown) < threshold:
        shown.remove(min(reversed(shown), key=lambda key: counts[key]))
    return shown


def _function_groups(
    by_function: Mapping[str, list[Response]], everyone: Sequence[Response], questions: Sequence[str], playbook: Playbook
) -> dict[str, Group]:
    threshold = playbook.meta.survey_min_group
    stages = playbook.alignment.stages
    shown = suppressed({key: len(mine) for key, mine in by_function.items()}, len(everyone), threshold)
    groups = {key: group_of(by_function[key], questions, stages, threshold) for key in by_function if key in shown}
    overall = _means(everyone, questions)
    for question in questions:  # a statement's means: held back in the same way, against everyone's
        counts = {key: sum(question in response.answers for response in by_function[key]) for key in groups}
        total = overall.get(question, (Fraction(0), 0))[1]
        keep = suppressed(counts, total, threshold) if total >= threshold else []
        for key, group in groups.items():
            if question in group.means and key not in keep:
                groups[key] = replace(group, means={q: m for q, m in group.means.items() if q != question})
    return groups


def public_round(survey_round: SurveyRound, playbook: Playbook) -> RoundView:
    """The round's aggregates as the site may show them."""
    threshold = playbook.meta.survey_min_group
    questions = list(playbook.questions)
    responses = survey_round.responses
    by_function = {key: [r for r in responses if r.function == key] for key in playbook.functions()}
    by_function = {key: mine for key, mine in by_function.items() if mine}
    functions = _function_groups(by_function, responses, questions, playbook)
    withheld = {key: max(threshold - len(mine), 0) for key, mine in by_function.items() if key not in functions}
    by_team: dict[str, list[Response]] = {}
    for response in responses:
        if response.team:
            by_team.setdefault(response.team, []).append(response)
    stages = playbook.alignment.stages
    teams = {
        name: replace(group_of(mine, questions, stages, threshold), means={})  # a team: its count and stage only
        for name, mine in sorted(by_team.items())
        if len(mine) >= threshold
    }
    overall = group_of(responses, questions, stages, threshold) if len(responses) >= threshold else None
    return RoundView(
        survey_round.period,
        threshold,
        len(responses),
        overall,
        functions,
        withheld,
        teams,
        sum(1 for mine in by_team.values() if len(mine) < threshold),
    )


def public_rounds(playbook: Playbook) -> tuple[RoundView, ...]:
    """Every round, oldest first, as the site may show it (as exported, for a playbook read from playbook.json)."""
    if playbook.survey_views:
        return tuple(playbook.survey_views)
    # Computed once for the rounds, the diagnostic and playbook.yml they depend on (the site, the assessment
    # and the checks all ask); held by the objects themselves, so a playbook given other ones computes again.
    depends = (playbook.survey, playbook.alignment, playbook.meta)
    cached = getattr(playbook, "_survey_views_cache", None)
    if cached is not None and all(one is other for one, other in zip(cached[0], depends, strict=True)):
        views: tuple[RoundView, ...] = cached[1]
        return views
    views = tuple(public_round(survey_round, playbook) for survey_round in playbook.survey)
    setattr(playbook, "_survey_views_cache", (depends, views))  # noqa: B010 (not a field: never compared or exported)
    return views


def stage_differs(playbook: Playbook, meta: Source | None) -> list[Problem]:
    """A warning when playbook.yml's hand-typed `alignment.current` is not the stage the latest round computes."""
    current = playbook.meta.alignment.current
    if not playbook.survey or current is None or meta is None:
        return []
    latest = public_rounds(playbook)[-1]
    computed = latest.overall.stage if latest.overall is not None else None
    if computed is None or computed == current:
        return []
    return [
        Problem(
            meta.path,
            *meta.at(("alignment", "current")),
            "survey-stage-differs",
            f"`alignment.current` is `{current}`, but the {latest.period.text} survey places the teams at `{computed}`"
            f" ({latest.respondents} respondents)",
            f"write `current: {computed}`, or leave `current` out: the site shows the survey's stage",
            severity="warning",
        )
    ]


# --- what the rounds say -------------------------------------------------------------------------


@dataclass(frozen=True)
class Gap:
    """A statement the functions see differently: each function's mean, lowest first."""

    question: str
    gap: Fraction
    means: tuple[tuple[str, Fraction], ...]  # (function id, mean), lowest first


def gaps(view: RoundView, questions: Sequence[str], count: int = GAPS) -> list[Gap]:
    """The statements with the largest gap between the shown functions' means (at least two
    functions shown), largest first; ties in the diagnostic's order."""
    found: list[Gap] = []
    for question in questions:
        means = [(function_id, group.means[question]) for function_id, group in view.functions.items() if question in group.means]
        if len(means) < 2:
            continue
        means.sort(key=lambda pair: pair[1])
        spread = means[-1][1] - means[0][1]
        if spread > 0:
            found.append(Gap(question, spread, tuple(means)))
    found.sort(key=lambda item: -item.gap)  # (a stable sort keeps the diagnostic's order among ties)
    return found[:count]


@dataclass(frozen=True)
class Move:
    """What changed for one group (a function, or everyone: "") between two rounds."""

    function: str
    before: Group
    after: Group
    statements: tuple[tuple[str, Fraction, Fraction], ...] = field(default=())  # (id, before, after), changed ones

    @property
    def change(self) -> Fraction | None:
        if self.before.score is None or self.after.score is None:
            return None
        return self.after.score - self.before.score


def moves(previous: RoundView, latest: RoundView, questions: Sequence[str]) -> list[Move]:
    """Everyone, then each function shown in both rounds: the score, the stage, the statements that moved."""
    pairs: list[tuple[str, Group | None, Group | None]] = [("", previous.overall, latest.overall)]
    pairs += [(function_id, previous.functions.get(function_id), group) for function_id, group in latest.functions.items()]
    found: list[Move] = []
    for function_id, before, after in pairs:
        if before is None or after is None:
            continue
        statements = tuple(
            (question, before.means[question], after.means[question])
            for question in questions
            if question in before.means and question in after.means and before.means[question] != after.means[question]
        )
        found.append(Move(function_id, before, after, statements))
    return found


def lowest_statements(group: Group, questions: Sequence[str]) -> list[str]:
    """The statements shown for `group`, lowest mean first (ties in the diagnostic's order)."""
    return sorted((question for question in questions if question in group.means), key=lambda question: group.means[question])


def one_decimal(value: Fraction) -> str:
    """A mean or a score as people read it: 2.1, 4.3, 57.0 (half up)."""
    tenths = rounded(value * 10)
    sign = "-" if tenths < 0 else ""
    return f"{sign}{abs(tenths) // 10}.{abs(tenths) % 10}"


__all__ = ["GAPS", "Gap", "Group", "Move", "RoundView", "gaps", "moves", "one_decimal", "public_round", "public_rounds"]


def _stage_name(playbook: Playbook, group: Group | None) -> str:
    stage = playbook.stages.get(group.stage or "") if group is not None else None
    return str(stage.name) if stage is not None else "no stage"


def move_sentence(playbook: Playbook, move: Move) -> str:
    """ "Marketing moved from Defined to Aligned", "Sales stayed at Defined"."""
    name = playbook.function_name(move.function) if move.function else "Everyone"
    before, after = _stage_name(playbook, move.before), _stage_name(playbook, move.after)
    return f"{name} moved from {before} to {after}" if before != after else f"{name} stayed at {after}"


def round_sentence(playbook: Playbook, view: RoundView, previous: RoundView | None) -> str:
    """What a round says, for the change report and a version's What changed: its respondents, the
    stage of everyone, and the moves since `previous` (the stages that changed first)."""
    parts = [f"{view.respondents} respondents"]
    if view.overall is not None and view.overall.score is not None:
        parts.append(f"everyone at {_stage_name(playbook, view.overall)} ({one_decimal(view.overall.score)})")
    if previous is not None:
        found = moves(previous, view, list(playbook.questions))
        moved = [move_sentence(playbook, move) for move in found if move.before.stage != move.after.stage]
        parts += moved or [f"no function changed stage since {previous.period.text}"]
    return "; ".join(parts)


def view_dict(view: RoundView) -> dict[str, Any]:
    """A round's aggregates as exported (playbook.json): never a row, nothing of a group below the threshold."""

    def group(found: Group) -> dict[str, Any]:
        return {
            "respondents": found.respondents,
            "score": round(float(found.score), 2) if found.score is not None else None,
            "stage": found.stage,
            "means": {question: round(float(mean), 2) for question, mean in found.means.items()},
        }

    return {
        "round": view.period.text,
        "min_group": view.threshold,
        "respondents": view.respondents,
        "overall": group(view.overall) if view.overall is not None else None,
        "functions": {key: group(found) for key, found in view.functions.items()},
        "withheld": dict(view.withheld),
        "teams": {name: {k: v for k, v in group(found).items() if k != "means"} for name, found in view.teams.items()},
        "teams_withheld": view.teams_withheld,
    }


def view_from_dict(data: Mapping[str, Any]) -> RoundView:
    """The inverse of `view_dict` (the means as exported, to two decimals)."""

    def group(found: Mapping[str, Any]) -> Group:
        score = found.get("score")
        means = {question: Fraction(str(mean)) for question, mean in found.get("means", {}).items()}
        return Group(int(found["respondents"]), means, Fraction(str(score)) if score is not None else None, found.get("stage"))

    overall = data.get("overall")
    return RoundView(
        parse_period(str(data["round"])),
        int(data.get("min_group", 5)),
        int(data["respondents"]),
        group(overall) if overall is not None else None,
        {key: group(found) for key, found in data.get("functions", {}).items()},
        {key: int(needed) for key, needed in data.get("withheld", {}).items()},
        {name: group(found) for name, found in data.get("teams", {}).items()},
        int(data.get("teams_withheld", 0)),
    )
