"""The functions' colours: CIEDE2000 against the published reference pairs, and every colour chosen
for a function told apart from every other function's colour, given or chosen (issue 23)."""

from __future__ import annotations

import itertools
import random
import textwrap
from pathlib import Path

import pytest

from conftest import MINIMAL, write_content
from playbook_site.content import load
from playbook_site.site import palette
from playbook_site.site.funnel import colours, funnel_svg

# Sharma, Wu and Dalal (2005), table 1: the 34 pairs (L*, a*, b* twice) and their CIEDE2000, to 4 places.
SHARMA = [
    ((50.0000, 2.6772, -79.7751), (50.0000, 0.0000, -82.7485), 2.0425),
    ((50.0000, 3.1571, -77.2803), (50.0000, 0.0000, -82.7485), 2.8615),
    ((50.0000, 2.8361, -74.0200), (50.0000, 0.0000, -82.7485), 3.4412),
    ((50.0000, -1.3802, -84.2814), (50.0000, 0.0000, -82.7485), 1.0000),
    ((50.0000, -1.1848, -84.8006), (50.0000, 0.0000, -82.7485), 1.0000),
    ((50.0000, -0.9009, -85.5211), (50.0000, 0.0000, -82.7485), 1.0000),
    ((50.0000, 0.0000, 0.0000), (50.0000, -1.0000, 2.0000), 2.3669),
    ((50.0000, -1.0000, 2.0000), (50.0000, 0.0000, 0.0000), 2.3669),
    ((50.0000, 2.4900, -0.0010), (50.0000, -2.4900, 0.0009), 7.1792),
    ((50.0000, 2.4900, -0.0010), (50.0000, -2.4900, 0.0010), 7.1792),
    ((50.0000, 2.4900, -0.0010), (50.0000, -2.4900, 0.0011), 7.2195),
    ((50.0000, 2.4900, -0.0010), (50.0000, -2.4900, 0.0012), 7.2195),
    ((50.0000, -0.0010, 2.4900), (50.0000, 0.0009, -2.4900), 4.8045),
    ((50.0000, -0.0010, 2.4900), (50.0000, 0.0010, -2.4900), 4.8045),
    ((50.0000, -0.0010, 2.4900), (50.0000, 0.0011, -2.4900), 4.7461),
    ((50.0000, 2.5000, 0.0000), (50.0000, 0.0000, -2.5000), 4.3065),
    ((50.0000, 2.5000, 0.0000), (73.0000, 25.0000, -18.0000), 27.1492),
    ((50.0000, 2.5000, 0.0000), (61.0000, -5.0000, 29.0000), 22.8977),
    ((50.0000, 2.5000, 0.0000), (56.0000, -27.0000, -3.0000), 31.9030),
    ((50.0000, 2.5000, 0.0000), (58.0000, 24.0000, 15.0000), 19.4535),
    ((50.0000, 2.5000, 0.0000), (50.0000, 3.1736, 0.5854), 1.0000),
    ((50.0000, 2.5000, 0.0000), (50.0000, 3.2972, 0.0000), 1.0000),
    ((50.0000, 2.5000, 0.0000), (50.0000, 1.8634, 0.5757), 1.0000),
    ((50.0000, 2.5000, 0.0000), (50.0000, 3.2592, 0.3350), 1.0000),
    ((60.2574, -34.0099, 36.2677), (60.4626, -34.1751, 39.4387), 1.2644),
    ((63.0109, -31.0961, -5.8663), (62.8187, -29.7946, -4.0864), 1.2630),
    ((61.2901, 3.7196, -5.3901), (61.4292, 2.2480, -4.9620), 1.8731),
    ((35.0831, -44.1164, 3.7933), (35.0232, -40.0716, 1.5901), 1.8645),
    ((22.7233, 20.0904, -46.6940), (23.0331, 14.9730, -42.5619), 2.0373),
    ((36.4612, 47.8580, 18.3852), (36.2715, 50.5065, 21.2231), 1.4146),
    ((90.8027, -2.0831, 1.4410), (91.1528, -1.6435, 0.0447), 1.4441),
    ((90.9257, -0.5406, -0.9208), (88.6381, -0.8985, -0.7239), 1.5381),
    ((6.7747, -0.2908, -2.4247), (5.8714, -0.0985, -2.2286), 0.6377),
    ((2.0776, 0.0795, -1.1350), (0.9033, -0.0636, -0.5514), 0.9082),
]


@pytest.mark.parametrize(("one", "other", "expected"), SHARMA)
def test_ciede2000_matches_the_published_pairs_both_ways(one: palette.Lab, other: palette.Lab, expected: float) -> None:
    assert round(palette.ciede2000(one, other), 4) == expected
    assert round(palette.ciede2000(other, one), 4) == expected  # the formula is symmetric


def test_lab_of_known_srgb_colours() -> None:
    # White, black and the sRGB primaries in CIELAB (D65), as published (Lindbloom's calculator).
    assert palette.lab("#ffffff") == pytest.approx((100.0, 0.0, 0.0), abs=0.01)
    assert palette.lab("#000000") == pytest.approx((0.0, 0.0, 0.0), abs=0.01)
    assert palette.lab("#ff0000") == pytest.approx((53.24, 80.09, 67.20), abs=0.02)
    assert palette.lab("#0000ff") == pytest.approx((32.30, 79.19, -107.86), abs=0.02)


def _closest(strokes: list[str], index: int) -> tuple[float, float]:
    """The nearest other stroke to strokes[index], and the nearest other fill to its fill (CIEDE2000)."""
    others = strokes[:index] + strokes[index + 1 :]
    if not others:
        return float("inf"), float("inf")
    return (
        min(palette.difference(strokes[index], other) for other in others),
        min(palette.difference(palette.tint(strokes[index]), palette.tint(other)) for other in others),
    )


def test_a_chosen_colour_is_told_apart_from_a_given_near_twin() -> None:
    """The issue's case: a user gives #1f77b4; the first palette colour, #1565c0, is 7.6 from it, too
    close: the function without a colour gets another one."""
    assert palette.difference("#1565c0", "#1f77b4") < palette.DISTINCT
    strokes = palette.function_colours(["#1f77b4", None, None])
    assert strokes[0] == "#1f77b4" and "#1565c0" not in strokes
    for index in (1, 2):
        stroke, fill = _closest(strokes, index)
        assert stroke >= palette.DISTINCT and fill >= palette.DISTINCT_FILL


@pytest.mark.parametrize("seed", range(40))
def test_every_chosen_colour_is_apart_from_every_other_in_many_function_sets(seed: int) -> None:
    """Random sets of up to 12 functions: up to 8 with a colour of their own (any #rrggbb, near twins
    of the palette among them), the others chosen, in random order. Each chosen stroke is at least
    DISTINCT from every other function's stroke and its fill DISTINCT_FILL from every other fill,
    and each keeps MIN_CONTRAST (3:1, non-text) with white and with its fill."""
    rng = random.Random(seed)
    near_twins = [f"#{(int(c[1:], 16) ^ rng.randrange(1, 1 << 20)) & 0xFFFFFF:06x}" for c in palette.PALETTE]
    for _ in range(10):
        given: list[str | None] = [
            rng.choice([f"#{rng.randrange(1 << 24):06x}", rng.choice(near_twins), rng.choice(list(palette.PALETTE))])
            for _ in range(rng.randrange(0, 9))
        ]
        functions = given + [None] * rng.randrange(1, 13 - len(given))
        rng.shuffle(functions)
        strokes = palette.function_colours(functions)
        assert [s for s, f in zip(strokes, functions, strict=True) if f] == [f.lower() for f in functions if f]
        for index, own in enumerate(functions):
            if own is None:
                stroke, fill = _closest(strokes, index)
                assert stroke >= palette.DISTINCT, (functions, strokes, index, stroke)
                assert fill >= palette.DISTINCT_FILL, (functions, strokes, index, fill)
                assert palette.contrast(strokes[index], "#ffffff") >= palette.MIN_CONTRAST
                assert palette.contrast(strokes[index], palette.tint(strokes[index])) >= palette.MIN_CONTRAST


def test_the_palette_is_given_out_in_order_when_nothing_is_near() -> None:
    """Without colours of their own, the first functions get the palette as before (the bundled
    playbook's funnel is unchanged), each pair of the first four far apart."""
    strokes = palette.function_colours([None] * 4)
    assert strokes == list(palette.PALETTE)[:4]
    assert min(palette.difference(a, b) for a, b in itertools.combinations(strokes, 2)) >= palette.DISTINCT


def test_the_funnel_colours_a_function_apart_from_a_user_colour(tmp_path: Path) -> None:
    """Through the loader and the funnel: Sales given #1f77b4, Marketing and Solutions without one."""
    meta = textwrap.dedent(MINIMAL["playbook.yml"]) + (
        "functions:\n  - id: marketing\n    name: Marketing\n  - id: sales\n    name: Sales\n    colour: '#1f77b4'\n"
        "  - id: solutions\n    name: Solutions\n"
    )
    playbook = load(write_content(tmp_path / "content", {"playbook.yml": meta}))
    found = colours(playbook)
    assert found["sales"][1] == "#1f77b4"
    chosen = [found["marketing"][1], found["solutions"][1]]
    for stroke in chosen:
        assert min(palette.difference(stroke, other[1]) for other in found.values() if other[1] != stroke) >= palette.DISTINCT
    svg = funnel_svg(playbook)
    assert 'stroke="#1565c0"' not in svg and 'stroke="#1f77b4"' in svg
