"""Compare an exercise's screenshot with its committed reference image, within a tolerance.

References live in ``tests/browser/visual_refs/`` as small PNGs (the widget only,
at half scale, 64 colours). ``pytest --update-visual`` (or ``UPDATE_VISUAL=1``)
rewrites them on purpose; otherwise a difference beyond the tolerance fails, and
the actual image and a diff (changed pixels in red) go to ``test-artifacts/visual/``.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import numpy as np
from PIL import Image

REFS = Path(__file__).resolve().parent / "visual_refs"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "visual"
#: A pixel counts as changed when a channel moves by more than this (0-255).
PIXEL_TOLERANCE = 48
#: The share of changed pixels allowed (anti-aliasing, font hinting).
CHANGED_SHARE = 0.006
#: Height may differ by this many (half-scale) pixels before it counts as a change of layout.
HEIGHT_SLACK = 4


def small(png: bytes) -> Image.Image:
    """The screenshot at half scale, in 64 colours: what is stored and compared."""
    image = Image.open(io.BytesIO(png)).convert("RGB")
    half = image.resize((max(image.width // 2, 1), max(image.height // 2, 1)), Image.LANCZOS)
    return half.quantize(colors=64, method=Image.Quantize.MEDIANCUT).convert("RGB")


def updating(flag: bool) -> bool:
    """True when references are to be rewritten (flag or ``UPDATE_VISUAL``)."""
    return flag or os.environ.get("UPDATE_VISUAL", "") not in ("", "0")


def difference(actual: Image.Image, reference: Image.Image) -> tuple[float, Image.Image]:
    """The share of changed pixels, and a diff image (changes in red on a faint copy)."""
    width, height = max(actual.width, reference.width), max(actual.height, reference.height)
    a = np.full((height, width, 3), 255, dtype=np.int16)
    b = a.copy()
    a[: actual.height, : actual.width] = np.asarray(actual, dtype=np.int16)
    b[: reference.height, : reference.width] = np.asarray(reference, dtype=np.int16)
    changed = np.abs(a - b).max(axis=2) > PIXEL_TOLERANCE
    faint = (255 - (255 - a) // 4).astype(np.uint8)
    faint[changed] = (220, 0, 0)
    return float(changed.mean()), Image.fromarray(faint)


def check_visual(png: bytes, name: str, update: bool) -> str | None:
    """Compare (or, when updating, store) ``name``; a sentence saying what differs, or None."""
    actual = small(png)
    ref_path = REFS / f"{name}.png"
    if updating(update):
        REFS.mkdir(parents=True, exist_ok=True)
        actual.quantize(colors=64).save(ref_path, optimize=True)
        return None
    if not ref_path.exists():
        return f"{name}: no reference image; run pytest with --update-visual and review it"
    reference = Image.open(ref_path).convert("RGB")
    share, diff = difference(actual, reference)
    taller = abs(actual.height - reference.height) > HEIGHT_SLACK
    if share <= CHANGED_SHARE and not taller:
        return None
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    actual.save(ARTIFACTS / f"{name}-actual.png")
    diff.save(ARTIFACTS / f"{name}-diff.png")
    return (
        f"{name}: {share:.1%} of pixels changed (allowed {CHANGED_SHARE:.1%}); size "
        f"{actual.size} vs reference {reference.size}; see test-artifacts/visual/{name}-diff.png"
    )
