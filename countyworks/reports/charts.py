"""Static charts (PNG) for Word and PDF output, drawn with matplotlib's Agg backend.

Chinese labels need a CJK font: we look one up among the installed fonts (Debian's
fonts-noto-cjk) through matplotlib's font manager, falling back to `fc-list`.
"""

from __future__ import annotations

import io
import subprocess
from functools import lru_cache

import matplotlib

matplotlib.use("Agg")

from matplotlib import font_manager  # noqa: E402
from matplotlib import pyplot as plt  # noqa: E402

from countyworks.reports.document import Chart  # noqa: E402

_CJK_FAMILIES = ("Noto Sans CJK SC", "Noto Serif CJK SC", "Source Han Sans SC", "WenQuanYi Zen Hei")


@lru_cache(maxsize=1)
def cjk_font_family() -> str | None:
    """The family name of an installed CJK font, registered with matplotlib; None if there is none."""
    installed = {f.name for f in font_manager.fontManager.ttflist}
    for family in _CJK_FAMILIES:
        if family in installed:
            return family
    try:
        listing = subprocess.run(
            ["fc-list", ":lang=zh", "file", "family"], capture_output=True, text=True, timeout=10
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    for line in listing.splitlines():
        path, _, families = line.partition(":")
        if not path.strip():
            continue
        try:
            font_manager.fontManager.addfont(path.strip())
        except (OSError, RuntimeError, ValueError):
            continue
        names = [name.strip() for name in families.split(",") if name.strip()]
        for family in _CJK_FAMILIES:
            if family in names:
                return family
        if names:
            return names[0]
    return None


def _configure() -> None:
    family = cjk_font_family()
    if family:
        plt.rcParams["font.family"] = "sans-serif"
        plt.rcParams["font.sans-serif"] = [family, "DejaVu Sans"]
    # The CJK fonts lack U+2212; an ASCII hyphen keeps negative ticks readable.
    plt.rcParams["axes.unicode_minus"] = False


def render_png(chart: Chart, width_in: float = 6.0, height_in: float = 3.0, dpi: int = 110) -> bytes:
    """One chart as PNG bytes. The same data gives the same picture, so pictures are cached."""
    key = (
        chart.kind,
        chart.title,
        chart.unit,
        tuple(chart.categories),
        tuple((name, tuple(values)) for name, values in chart.series),
    )
    return _draw(key, width_in, height_in, dpi)


@lru_cache(maxsize=64)
def _draw(key: tuple, width_in: float, height_in: float, dpi: int) -> bytes:
    kind, title, unit, categories, series = key
    chart = Chart("", title, kind, list(categories), [(name, list(values)) for name, values in series], unit)
    _configure()
    fig, ax = plt.subplots(figsize=(width_in, height_in), dpi=dpi)
    try:
        if chart.kind == "bar":
            count = max(1, len(chart.series))
            width = 0.8 / count
            for index, (name, values) in enumerate(chart.series):
                positions = [x + (index - (count - 1) / 2) * width for x in range(len(chart.categories))]
                ax.bar(positions, values, width=width, label=name)
            ax.set_xticks(range(len(chart.categories)), chart.categories)
        else:
            for name, values in chart.series:
                ax.plot(chart.categories, values, marker="o", label=name)
        ax.set_title(chart.title)
        if chart.unit:
            ax.set_ylabel(chart.unit)
        if len(chart.series) > 1:
            ax.legend()
        ax.grid(axis="y", alpha=0.3)
        fig.tight_layout()
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png")
        return buffer.getvalue()
    finally:
        plt.close(fig)
