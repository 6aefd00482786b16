"""What every course chart shares: colour-blind-safe colours, how unrated is drawn, axes.

Figures are created directly (never through ``pyplot``), so nothing pops up and
no global state changes.
"""

from __future__ import annotations

import base64
import io
import textwrap

from matplotlib.axes import Axes
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure

#: Okabe-Ito: a qualitative palette that colour-blind readers can tell apart.
PALETTE: dict[str, str] = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "green": "#009E73",
    "yellow": "#F0E442",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
    "black": "#000000",
}


#: The palette's colours in order, for series.
PALETTE_CYCLE: tuple[str, ...] = tuple(PALETTE.values())


#: A sequential map that is perceptually uniform and colour-blind safe.
SEQUENTIAL_CMAP = "cividis"


#: How an unrated indicator is drawn: hatched, not just a different colour.
UNRATED_FACE = "#FFFFFF"


UNRATED_EDGE = "#6E6E6E"


UNRATED_HATCH = "///"


COVERAGE_MAX = 100.0


def new_axes(ax: Axes | None, *, polar: bool = False, size=(6.4, 4.8)) -> tuple[Figure, Axes]:
    """``ax`` cleared (and checked to be polar if asked), or a new figure's axes."""
    if ax is not None:
        if polar and ax.name != "polar":
            raise ValueError("radar_chart needs polar axes: add_subplot(projection='polar').")
        ax.clear()
        return ax.figure, ax  # type: ignore[return-value]
    fig = Figure(figsize=size, layout="constrained")
    return fig, fig.add_subplot(projection="polar" if polar else None)


def text_colour(rgba: tuple[float, ...]) -> str:
    """Black or white, whichever reads better on ``rgba`` (WCAG relative luminance)."""

    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in to_rgb(rgba))
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return "black" if luminance > 0.179 else "white"


def wrap_label(label: str, width: int = 14) -> str:
    """A tick label broken over lines of about ``width`` characters, never inside a word."""
    return "\n".join(textwrap.wrap(label, width, break_long_words=False)) or label


def to_png(fig: Figure, dpi: int = 100) -> bytes:
    """The figure as PNG bytes."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi, metadata={"Software": None})
    return buffer.getvalue()


def to_data_uri(fig: Figure, dpi: int = 100) -> str:
    """The figure as a ``data:image/png;base64,...`` URI, for self-contained HTML."""
    return "data:image/png;base64," + base64.b64encode(to_png(fig, dpi)).decode("ascii")


def sequential_colours():
    """The sequential colour map (:data:`SEQUENTIAL_CMAP`)."""
    from matplotlib import colormaps

    return colormaps[SEQUENTIAL_CMAP]
