"""The functions' colours: each function without a colour of its own gets one that a reader tells
apart from every other function's colour, given or chosen. Pure.

"Told apart" is measured, not guessed: the CIEDE2000 colour difference (CIE 142-2001; the formula
as Sharma, Wu and Dalal set it out in "The CIEDE2000 color-difference formula: implementation notes,
supplementary test data, and mathematical observations", Color Research & Application 30(1), 2005)
between the colours in CIELAB (sRGB, D65). A chosen colour stands at least `DISTINCT` from every
other function's stroke, and its box's fill at least `DISTINCT_FILL` from every other fill. The
funnel draws the same opaque fills and strokes in the light and the dark scheme (the boxes keep
their light fill and dark text on the dark page), so one distance holds for both.

    ciede2000(lab1, lab2) -> float
    lab("#1565c0") -> (L, a, b)
    function_colours([given colour or None, ...]) -> [stroke, ...]   # every colour as #rrggbb
    tint(stroke) -> fill
"""

from __future__ import annotations

import math
from collections.abc import Sequence

Lab = tuple[float, float, float]

# The strokes the funnel has always used, in the order they are given out: readable on white, in
# print and for common colour-vision deficiencies. A function without a colour takes the first of
# them far enough from every colour taken; `CANDIDATES` go on from there.
# Each with the light fill of its box (Material's 50 shade of the same hue).
PALETTE = {
    "#1565c0": "#e3f2fd",
    "#e65100": "#fff3e0",
    "#2e7d32": "#e8f5e9",
    "#6a1b9a": "#f3e5f5",
    "#37474f": "#eceff1",
    "#00838f": "#e0f7fa",
    "#ad1457": "#fce4ec",
    "#5d4037": "#efebe9",
}
DISTINCT = (
    12.0  # CIEDE2000 between two functions' strokes: told apart at a glance (1 is barely visible; #1565c0 and #1f77b4 are 7.6)
)
DISTINCT_FILL = 3.0  # between two boxes' fills (88% of the way to white, so far closer than the strokes)
TINT = 0.88  # a fill is its stroke 88% of the way to white
MIN_CONTRAST = 3.0  # a stroke against white and against its own fill: WCAG 2.1 non-text contrast (1.4.11)

_WHITE = (95.047, 100.0, 108.883)  # D65, Y = 100


def _linear(channel: float) -> float:
    channel /= 255
    return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4


def _rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def lab(colour: str) -> Lab:
    """CIELAB (D65) of an sRGB colour written #rrggbb."""
    red, green, blue = (_linear(channel) for channel in _rgb(colour))
    xyz = (
        (0.4124564 * red + 0.3575761 * green + 0.1804375 * blue) * 100,
        (0.2126729 * red + 0.7151522 * green + 0.0721750 * blue) * 100,
        (0.0193339 * red + 0.1191920 * green + 0.9503041 * blue) * 100,
    )

    def f(t: float) -> float:
        return t ** (1 / 3) if t > (6 / 29) ** 3 else t / (3 * (6 / 29) ** 2) + 4 / 29

    fx, fy, fz = (f(value / white) for value, white in zip(xyz, _WHITE, strict=True))
    return 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)


def _hue(b: float, a: float) -> float:
    """The hue angle in degrees, 0 to 360; 0 for a grey (a = b = 0)."""
    return 0.0 if a == 0 and b == 0 else math.degrees(math.atan2(b, a)) % 360


def _mean_hue(h1: float, h2: float, grey: bool) -> float:
    if grey:
        return h1 + h2
    if abs(h1 - h2) <= 180:
        return (h1 + h2) / 2
    return (h1 + h2 + 360) / 2 if h1 + h2 < 360 else (h1 + h2 - 360) / 2


def ciede2000(lab1: Lab, lab2: Lab) -> float:
    """The CIEDE2000 colour difference of two CIELAB colours (kL = kC = kH = 1), step by step as in
    Sharma, Wu and Dalal (2005), equations 2 to 22."""
    (l1, a1, b1), (l2, a2, b2) = lab1, lab2
    mean_c = (math.hypot(a1, b1) + math.hypot(a2, b2)) / 2
    g = 0.5 * (1 - math.sqrt(mean_c**7 / (mean_c**7 + 25**7)))
    a1, a2 = (1 + g) * a1, (1 + g) * a2
    c1, c2 = math.hypot(a1, b1), math.hypot(a2, b2)
    h1, h2 = _hue(b1, a1), _hue(b2, a2)
    grey = c1 * c2 == 0
    dh = 0.0 if grey else h2 - h1
    dh += -360 if dh > 180 else 360 if dh < -180 else 0
    d_l, d_c, d_h = l2 - l1, c2 - c1, 2 * math.sqrt(c1 * c2) * math.sin(math.radians(dh / 2))
    mean_l, mean_cp, mean_h = (l1 + l2) / 2, (c1 + c2) / 2, _mean_hue(h1, h2, grey)
    t = (
        1
        - 0.17 * math.cos(math.radians(mean_h - 30))
        + 0.24 * math.cos(math.radians(2 * mean_h))
        + 0.32 * math.cos(math.radians(3 * mean_h + 6))
        - 0.20 * math.cos(math.radians(4 * mean_h - 63))
    )
    rotation = 30 * math.exp(-(((mean_h - 275) / 25) ** 2))
    r_c = 2 * math.sqrt(mean_cp**7 / (mean_cp**7 + 25**7))
    s_l = 1 + 0.015 * (mean_l - 50) ** 2 / math.sqrt(20 + (mean_l - 50) ** 2)
    s_c, s_h = 1 + 0.045 * mean_cp, 1 + 0.015 * mean_cp * t
    r_t = -math.sin(math.radians(2 * rotation)) * r_c
    return math.sqrt((d_l / s_l) ** 2 + (d_c / s_c) ** 2 + (d_h / s_h) ** 2 + r_t * (d_c / s_c) * (d_h / s_h))


def difference(one: str, other: str) -> float:
    """CIEDE2000 between two #rrggbb colours."""
    return ciede2000(lab(one), lab(other))


def tint(stroke: str) -> str:
    """A box's light fill for a stroke colour: the palette's own, else TINT of the way to white."""
    stroke = stroke.lower()
    return PALETTE.get(stroke) or "#" + "".join(f"{round(c + (255 - c) * TINT):02x}" for c in _rgb(stroke))


def contrast(one: str, other: str) -> float:
    """The WCAG 2 contrast ratio of two colours (1 to 21)."""

    def luminance(colour: str) -> float:
        red, green, blue = (_linear(channel) for channel in _rgb(colour))
        return 0.2126 * red + 0.7152 * green + 0.0722 * blue

    high, low = sorted((luminance(one), luminance(other)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _candidates() -> tuple[str, ...]:
    """The palette, then dark strokes around the hue circle (CIELCh: lightness 30 to 55, chroma 30 to
    60, a hue every 10 degrees) that keep a 3:1 contrast on white and on their own fill (WCAG 2.1 non-text contrast)."""
    found = list(PALETTE)
    for lightness in (45, 35, 55, 30):
        for chroma in (55, 40, 30):
            for step in range(36):
                colour = _from_lch(lightness, chroma, step * 10.0)
                if colour is not None and colour not in found and contrast(colour, tint(colour)) >= MIN_CONTRAST:
                    found.append(colour)
    return tuple(found)


def _from_lch(lightness: float, chroma: float, hue: float) -> str | None:
    """The sRGB colour #rrggbb of a CIELCh one, None outside sRGB."""
    a, b = chroma * math.cos(math.radians(hue)), chroma * math.sin(math.radians(hue))
    fy = (lightness + 16) / 116
    fx, fz = fy + a / 500, fy - b / 200

    def inverse(t: float) -> float:
        return t**3 if t > 6 / 29 else 3 * (6 / 29) ** 2 * (t - 4 / 29)

    x, y, z = (inverse(value) * white / 100 for value, white in zip((fx, fy, fz), _WHITE, strict=True))
    linear = (
        3.2404542 * x - 1.5371385 * y - 0.4985314 * z,
        -0.9692660 * x + 1.8760108 * y + 0.0415560 * z,
        0.0556434 * x - 0.2040259 * y + 1.0572252 * z,
    )
    if any(value < 0 or value > 1 for value in linear):
        return None
    encoded = (12.92 * v if v <= 0.0031308 else 1.055 * v ** (1 / 2.4) - 0.055 for v in linear)
    return "#" + "".join(f"{round(v * 255):02x}" for v in encoded)


CANDIDATES = _candidates()


def _apart(colour: str, taken: Sequence[str]) -> float:
    """How far `colour` stands from the nearest of `taken`, in units of what each measure asks:
    at least 1 when its stroke is DISTINCT from every stroke and its fill DISTINCT_FILL from every fill."""
    if not taken:
        return math.inf
    strokes = min(difference(colour, other) for other in taken) / DISTINCT
    fills = min(difference(tint(colour), tint(other)) for other in taken) / DISTINCT_FILL
    return min(strokes, fills)


def function_colours(given: Sequence[str | None]) -> list[str]:
    """A stroke for each function, in order: its own colour when given (lower-cased), else the first
    candidate (the palette first) far enough from every other function's colour, given or chosen
    before it; when none is, the candidate farthest from them."""
    taken = [colour.lower() for colour in given if colour]
    chosen: list[str] = []
    for colour in given:
        if colour:
            chosen.append(colour.lower())
            continue
        pick = next((candidate for candidate in CANDIDATES if _apart(candidate, taken) >= 1), None)
        if pick is None:
            pick = max(CANDIDATES, key=lambda candidate: _apart(candidate, taken))
        chosen.append(pick)
        taken.append(pick)
    return chosen


__all__ = [
    "CANDIDATES",
    "DISTINCT",
    "DISTINCT_FILL",
    "PALETTE",
    "ciede2000",
    "contrast",
    "difference",
    "function_colours",
    "lab",
    "tint",
]
