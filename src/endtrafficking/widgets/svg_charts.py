"""Small inline SVG charts for live exercises, built in pure Python.

A live chart only moves its data, so redrawing it with matplotlib on every
click (about 0.1-0.3 s in a kernel, plus a large image to send and decode)
is wasted work. These functions return an ``<svg>`` string in well under a
millisecond: crisp at any size, with real text in the page's own font, a
``role="img"`` and an ``aria-label`` that says the chart in words. Colours
are from the Okabe-Ito palette; values are always written as text too, and
empty values are hatched, so nothing depends on colour alone. Exports (the
HTML report) keep the matplotlib charts of :mod:`endtrafficking.plots`.
"""

from __future__ import annotations

import html
import math
import textwrap
from collections.abc import Mapping, Sequence

BLUE = "#0072B2"
SKY = "#56B4E9"
VERMILLION = "#D55E00"
GREY = "#6E6E6E"
INK = "#1f1f1f"
#: Text in the page's font (JupyterLab's variable, else the system UI font).
FONT = "font-family: var(--jp-ui-font-family, system-ui, sans-serif)"
_HATCH = (
    '<defs><pattern id="{id}" width="6" height="6" patternUnits="userSpaceOnUse" '
    'patternTransform="rotate(45)"><rect width="6" height="6" fill="#fff"/>'
    f'<line x1="0" y1="0" x2="0" y2="6" stroke="{GREY}" stroke-width="1.5"/></pattern></defs>'
)


def _esc(text: object) -> str:
    return html.escape(str(text), quote=True)


def _svg(width: float, height: float, label: str, body: str, css_class: str) -> str:
    return (
        f'<svg class="{css_class}" viewBox="0 0 {width:.0f} {height:.0f}" role="img" '
        f'aria-label="{_esc(label)}" xmlns="http://www.w3.org/2000/svg" '
        f'style="width:100%;height:auto;display:block;{FONT}">{body}</svg>'
    )


def _lines(
    x: float, y: float, lines: Sequence[str], anchor: str, size: int, weight: str, step: int = 16
) -> str:
    spans = "".join(
        f'<tspan x="{x:.1f}" dy="{0 if i == 0 else step}">{_esc(t)}</tspan>'
        for i, t in enumerate(lines)
    )
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{size}" '
        f'font-weight="{weight}" fill="{INK}">{spans}</text>'
    )


def radar_svg(coverage: Mapping[str, float], label: str, maximum: float = 100.0) -> str:
    """A radar chart of ``coverage`` (name -> 0..maximum), the first axis at the top.

    The weakest area is ringed in vermillion; each axis label gives its value.
    """
    names = list(coverage)
    n = max(len(names), 1)
    size, cx, cy, radius = 400, 200.0, 178.0, 98.0

    def point(i: int, value: float) -> tuple[float, float]:
        angle = -math.pi / 2 + 2 * math.pi * i / n
        r = radius * max(0.0, min(value, maximum)) / maximum
        return cx + r * math.cos(angle), cy + r * math.sin(angle)

    parts: list[str] = []
    for level in (25, 50, 75, 100):
        ring = " ".join(f"{x:.1f},{y:.1f}" for x, y in (point(i, level) for i in range(n)))
        parts.append(f'<polygon points="{ring}" fill="none" stroke="#c8c8c8" stroke-width="1"/>')
        _x, y = point(0, level)
        parts.append(
            f'<text x="{cx + 4:.1f}" y="{y + 13:.1f}" font-size="13" fill="#4a4a4a">{level}</text>'
        )
    for i in range(n):
        x, y = point(i, maximum)
        parts.append(
            f'<line x1="{cx}" y1="{cy}" x2="{x:.1f}" y2="{y:.1f}" stroke="#c8c8c8" '
            'stroke-width="1"/>'
        )
    values = [float(coverage[k]) for k in names]
    shape = " ".join(f"{x:.1f},{y:.1f}" for x, y in (point(i, v) for i, v in enumerate(values)))
    parts.append(
        f'<polygon points="{shape}" fill="{BLUE}" fill-opacity="0.22" stroke="{BLUE}" '
        'stroke-width="2.5" stroke-linejoin="round"/>'
    )
    for i, v in enumerate(values):
        x, y = point(i, v)
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{BLUE}"/>')
    if values and max(values) > 0:
        weakest = values.index(min(values))
        x, y = point(weakest, values[weakest])
        parts.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="9" fill="none" stroke="{VERMILLION}" '
            'stroke-width="2.5"/>'
        )
    for i, name in enumerate(names):
        angle = -math.pi / 2 + 2 * math.pi * i / n
        lx, ly = cx + (radius + 16) * math.cos(angle), cy + (radius + 16) * math.sin(angle)
        cos = math.cos(angle)
        anchor = "middle" if abs(cos) < 0.3 else ("start" if cos > 0 else "end")
        lines = textwrap.wrap(str(name), 10, break_long_words=False) or [str(name)]
        lines.append(f"{values[i]:.0f}/100")
        sin, height = math.sin(angle), 19 * (len(lines) - 1)
        top = ly - height if sin < -0.3 else (ly + 16 if sin > 0.3 else ly - height / 2 + 6)
        parts.append(_lines(lx, top, lines, anchor, 17, "500", 19))
    return _svg(size, 360, label, "".join(parts), "et-radar")


def bar_svg(counts: Mapping[str, int], label: str, unit: str, none_text: str) -> str:
    """Horizontal bars of ``counts`` (name -> whole number); zero bars are hatched and say so."""
    names = list(counts)
    row, left, width = 34, 170, 560
    height = row * len(names) + 16
    top = max([*counts.values(), 1])
    scale = (width - left - 140) / top  # room for "12 organizations" after the longest bar
    parts = [_HATCH.format(id="et-hatch-bar")]
    for i, name in enumerate(names):
        y = 8 + i * row
        value = int(counts[name])
        wrapped = textwrap.wrap(str(name), 20, break_long_words=False)[:2] or [str(name)]
        parts.append(_lines(left - 10, y + 21 - 8 * (len(wrapped) - 1), wrapped, "end", 14, "400"))
        if value == 0:
            parts.append(
                f'<rect x="{left}" y="{y + 5}" width="{width - left - 140}" height="{row - 10}" '
                f'fill="url(#et-hatch-bar)" stroke="{GREY}"/>'
                f'<rect x="{left + 6}" y="{y + 9}" width="{7.5 * len(none_text) + 10:.0f}" '
                f'height="{row - 18}" fill="#fff"/>'
                f'<text x="{left + 11}" y="{y + 22}" font-size="13" fill="{INK}">'
                f"{_esc(none_text)}</text>"
            )
        else:
            w = value * scale
            parts.append(
                f'<rect x="{left}" y="{y + 5}" width="{w:.1f}" height="{row - 10}" '
                f'fill="{SKY}" stroke="{BLUE}"/>'
                f'<text x="{left + w + 6:.1f}" y="{y + 22}" font-size="14" fill="{INK}">'
                f"{value} {_esc(unit if value != 1 else unit.rstrip('s'))}</text>"
            )
    return _svg(width, height, label, "".join(parts), "et-bars")


def grid_svg(
    rows: Sequence[str], columns: Sequence[str], cells: Sequence[Sequence[bool]], label: str
) -> str:
    """A grid of rows by columns with "covers" in coloured cells; empty rows hatched."""
    colours = (BLUE, "#E69F00", "#009E73", "#CC79A7", VERMILLION, SKY)
    left, col, row, head = 170, 130, 34, 48
    width, height = left + col * len(columns) + 4, head + row * len(rows) + 4
    parts = [_HATCH.format(id="et-hatch-grid")]
    for c, name in enumerate(columns):
        wrapped = textwrap.wrap(str(name), 16, break_long_words=False)[:2] or [str(name)]
        y = head - 10 - 16 * (len(wrapped) - 1)
        parts.append(_lines(left + col * c + col / 2, y, wrapped, "middle", 13, "600"))
    for r, name in enumerate(rows):
        y = head + r * row
        wrapped = textwrap.wrap(str(name), 20, break_long_words=False)[:2] or [str(name)]
        parts.append(_lines(left - 10, y + 21 - 8 * (len(wrapped) - 1), wrapped, "end", 14, "400"))
        if not any(cells[r]):
            span = col * len(columns)
            parts.append(
                f'<rect x="{left + 2}" y="{y + 4}" width="{span - 4}" height="{row - 8}" '
                f'fill="url(#et-hatch-grid)" stroke="{GREY}"/>'
                f'<rect x="{left + span / 2 - 95:.0f}" y="{y + 9}" width="190" height="{row - 18}" '
                'fill="#fff"/>'
                f'<text x="{left + span / 2:.0f}" y="{y + 22}" font-size="13" '
                f'text-anchor="middle" fill="{INK}">no model covers this area</text>'
            )
            continue
        for c, covered in enumerate(cells[r]):
            x = left + c * col
            if covered:
                colour = colours[c % len(colours)]
                parts.append(
                    f'<rect x="{x + 6}" y="{y + 4}" width="{col - 12}" height="{row - 8}" rx="3" '
                    f'fill="{colour}" fill-opacity="0.3" stroke="{colour}" stroke-width="1.5"/>'
                    f'<text x="{x + col / 2:.0f}" y="{y + 22}" font-size="13" '
                    f'text-anchor="middle" fill="{INK}">covers</text>'
                )
            else:
                parts.append(
                    f'<text x="{x + col / 2:.0f}" y="{y + 22}" font-size="13" '
                    f'text-anchor="middle" fill="#555">–</text>'
                )
    return _svg(width, height, label, "".join(parts), "et-grid")
