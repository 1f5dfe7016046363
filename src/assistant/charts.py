"""Server-rendered SVG line charts for the console (no script, no CDN): rates per period, 0 to 100%."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

WIDTH = 520
HEIGHT = 220
LEFT = 44
RIGHT = 12
TOP = 14
BOTTOM = 40
# Each series differs in dash and marker as well as colour, so it reads without colour too (WCAG 1.4.1).
STYLES = (("#1d5fa8", "", "circle"), ("#b34700", "6 4", "square"))


@dataclass(frozen=True)
class Series:
    """One line: its name and a value (0–1) or a gap (None) per period."""

    name: str
    values: list[float | None]


def _marker(kind: str, x: float, y: float, colour: str, label: str) -> str:
    tip = f"<title>{escape(label)}</title>"
    if kind == "square":
        return f'<rect x="{x - 4:.1f}" y="{y - 4:.1f}" width="8" height="8" fill="{colour}">{tip}</rect>'
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{colour}">{tip}</circle>'


def line_chart(chart_id: str, title: str, periods: list[str], series: list[Series]) -> str:
    """An accessible SVG (role img, title and description) of each series over the periods."""
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM
    step = plot_w / max(len(periods) - 1, 1)

    def x(i: int) -> float:
        return LEFT + (i * step if len(periods) > 1 else plot_w / 2)

    def y(v: float) -> float:
        return TOP + plot_h * (1 - v)

    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="{chart_id}-t {chart_id}-d" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{chart_id}-t">{escape(title)}</title>',
    ]
    described = "; ".join(
        f"{s.name}: "
        + ", ".join(f"{p} {'–' if v is None else f'{v:.0%}'}" for p, v in zip(periods, s.values, strict=True))
        for s in series
    )
    parts.append(f'<desc id="{chart_id}-d">{escape(described)}</desc>')
    for tick in (0.0, 0.25, 0.5, 0.75, 1.0):
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(tick):.1f}" y2="{y(tick):.1f}" class="grid"/>'
            f'<text x="{LEFT - 6}" y="{y(tick) + 4:.1f}" text-anchor="end" class="tick">{tick:.0%}</text>'
        )
    every = max(1, len(periods) // 6)
    for i, period in enumerate(periods):
        if i % every == 0 or i == len(periods) - 1:
            parts.append(
                f'<text x="{x(i):.1f}" y="{HEIGHT - BOTTOM + 16}" text-anchor="middle" class="tick">'
                f"{escape(period[5:] if len(period) == 10 else period)}</text>"
            )
    for (colour, dash, marker), s in zip(STYLES, series, strict=False):
        points = [(x(i), y(v)) for i, v in enumerate(s.values) if v is not None]
        if len(points) > 1:
            coords = " ".join(f"{px:.1f},{py:.1f}" for px, py in points)
            dashed = f' stroke-dasharray="{dash}"' if dash else ""
            parts.append(f'<polyline points="{coords}" fill="none" stroke="{colour}" stroke-width="2"{dashed}/>')
        for i, v in enumerate(s.values):
            if v is not None:
                parts.append(_marker(marker, x(i), y(v), colour, f"{s.name} {periods[i]}: {v:.0%}"))
    for n, ((colour, dash, marker), s) in enumerate(zip(STYLES, series, strict=False)):
        lx = LEFT + n * 170
        ly = HEIGHT - 8
        dashed = f' stroke-dasharray="{dash}"' if dash else ""
        parts.append(
            f'<line x1="{lx}" x2="{lx + 24}" y1="{ly - 4}" y2="{ly - 4}" stroke="{colour}" stroke-width="2"{dashed}/>'
            + _marker(marker, lx + 12, ly - 4, colour, s.name)
            + f'<text x="{lx + 30}" y="{ly}" class="legend">{escape(s.name)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
