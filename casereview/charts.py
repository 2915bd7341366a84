"""Inline SVG charts for the HTML report: concern rates with intervals, trend by month, case-file heat map.

Plain SVG strings, no scripts and no external resources, so the report stays
one self-contained file. Every chart carries a title and a description, and
the numbers are written on it: it reads in grey on paper, and nothing relies
on colour alone (labels carry their symbols).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Protocol
from xml.sax.saxutils import escape, quoteattr

from .taxonomy import Label
from .wording import number, percent, percent_range

FONT = "font-family:system-ui,-apple-system,'Segoe UI',Helvetica,Arial,sans-serif;font-size:12px"
INK = "#111827"
GRID = "#d1d5db"
HEAT = "#7f1d1d"  # one hue for the heat map: intensity is the count, the count is also written
#: The darkest heat-map cell: its count, in ink, still reads at 4.9:1 (white text on a darker cell read at 2.9:1 a
#: little past half the peak, and no text colour reaches 4.5:1 on every shade between), and it prints light.
HEAT_MAX_OPACITY = 0.6
#: Half the width of a whisker's cap on the trend chart: months may stand 10px apart.
WHISKER_CAP = 2.0


class RateLike(Protocol):
    positives: int
    decided: int
    estimate: float | None
    low: float | None
    high: float | None


def _svg(width: float, height: float, title: str, description: str, body: list[str]) -> str:
    ident = "chart-" + "".join(c if c.isalnum() else "-" for c in title.lower())
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:g} {height:g}" width="100%" '
        f'style="max-width:{width:g}px;{FONT}" role="img" aria-labelledby="{ident}-t {ident}-d">'
        f'<title id="{ident}-t">{escape(title)}</title><desc id="{ident}-d">{escape(description)}</desc>'
        + "".join(body) + "</svg>"
    )


def _text(x: float, y: float, content: str, anchor: str = "start", **attrs: str) -> str:
    extra = "".join(f" {k.replace('_', '-')}={quoteattr(v)}" for k, v in attrs.items())
    return f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" fill="{INK}"{extra}>{escape(content)}</text>'


def _empty(title: str, message: str) -> str:
    return _svg(720, 40, title, message, [_text(8, 24, message, font_style="italic")])


def _symbol(x: float, y: float, label: Label) -> str:
    """The label's symbol in its colour (white text on it meets contrast), as in the review UI."""
    return (f'<rect x="{x:.1f}" y="{y - 12:.1f}" width="16" height="16" rx="2" fill="{label.colour}"/>'
            f'<text x="{x + 8:.1f}" y="{y:.1f}" text-anchor="middle" fill="#ffffff" font-weight="bold">'
            f"{escape(label.symbol)}</text>")


def rate_chart(rows: Sequence[tuple[Label, RateLike, RateLike]]) -> str:
    """A bar per label (its rate), the 95% interval as a whisker, and a diamond where the model's rate is."""
    title = "Concern rates with 95% intervals"
    left, plot, row_h, top = 230.0, 330.0, 30.0, 28.0
    width, height = left + plot + 200, top + row_h * len(rows) + 34
    x = lambda v: left + plot * v  # noqa: E731
    body = []
    for tick in (0, 0.25, 0.5, 0.75, 1):
        body.append(f'<line x1="{x(tick):.1f}" y1="{top - 6:.1f}" x2="{x(tick):.1f}" y2="{top + row_h * len(rows):.1f}" stroke="{GRID}"/>')
        body.append(_text(x(tick), top - 10, percent(tick), "middle"))
    for i, (label, rate, suggested) in enumerate(rows):
        y = top + i * row_h
        mid = y + row_h / 2
        body.append(_symbol(4, mid + 4, label))
        body.append(_text(26, mid + 4, label.title))
        if rate.estimate is None:
            body.append(_text(x(0) + 4, mid + 4, "not reviewed", font_style="italic"))
        else:
            body.append(f'<rect x="{x(0):.1f}" y="{y + 7:.1f}" width="{plot * rate.estimate:.1f}" height="{row_h - 14:.1f}" '
                        f'fill="{label.colour}" fill-opacity="0.85"/>')
            lo, hi = x(rate.low), x(rate.high)
            body.append(f'<path d="M{lo:.1f} {mid:.1f}H{hi:.1f}M{lo:.1f} {mid - 6:.1f}V{mid + 6:.1f}M{hi:.1f} {mid - 6:.1f}V{mid + 6:.1f}" '
                        f'stroke="{INK}" stroke-width="1.5" fill="none"/>')
            body.append(_text(left + plot + 10, mid + 4,
                              f"{percent(rate.estimate)} ({percent_range(rate.low, rate.high)}) "
                              f"{number(rate.positives)}/{number(rate.decided)}"))
        if suggested.estimate is not None:
            mx = x(suggested.estimate)
            body.append(f'<path d="M{mx:.1f} {mid - 6:.1f}L{mx + 5:.1f} {mid:.1f}L{mx:.1f} {mid + 6:.1f}L{mx - 5:.1f} {mid:.1f}Z" '
                        f'fill="#ffffff" stroke="{INK}" stroke-width="1.5"/>')
    legend_y = top + row_h * len(rows) + 22
    body.append(_text(left, legend_y, "bar: share of units read with the concern · line: 95% interval · ◇: model suggests"))
    return _svg(width, height, title, "For each concern label, the share of reviewed units with the concern, "
                "its 95% Wilson interval, and the share the model suggests.", body)


def month_number(month: str) -> int:
    """A month ("2024-03") as a count of months, so that months stand on the axis as far apart as they are."""
    year, number = month.split("-")[:2]
    return int(year) * 12 + int(number) - 1


def month_named(number: int) -> str:
    """The month ("2024-03") that :func:`month_number` counts as ``number``."""
    return f"{number // 12:04d}-{number % 12 + 1:02d}"


def trend_chart(months: Sequence[tuple[str, Sequence[RateLike]]], labels: Sequence[Label]) -> str:
    """One small panel per label: the monthly note rate, its 95% interval, over the same month axis.

    A month with no decided note leaves a gap where it is, the line broken across it: drawn evenly, the months either
    side of it would look consecutive, and a line joining them a trend. Each month's interval is a whisker in the
    label's colour, which reads at 3:1 on white as WCAG's 1.4.11 asks of a graphic needed to read the chart: a band
    shaded between the months read at 1.25:1, and a month alone had none (a band one month wide has no width).
    """
    title = "Trend by month"
    points = [(m, rates) for m, rates in months if any(r.estimate is not None for r in rates)]
    if not points:
        return _empty(title, "No dated notes with decisions: no trend to show.")
    left, plot_w, panel_h, gap, top = 250.0, 420.0, 46.0, 10.0, 10.0
    width = left + plot_w + 60
    height = top + len(labels) * (panel_h + gap) + 40
    start = month_number(points[0][0])
    position = [month_number(m) - start for m, _ in points]  # months since the first
    step = plot_w / max(position[-1], 1)
    x = lambda i: left + (position[i] * step if position[-1] else plot_w / 2)  # noqa: E731
    body = []
    for j, label in enumerate(labels):
        y0 = top + j * (panel_h + gap)
        y = lambda v: y0 + panel_h - panel_h * v  # noqa: E731, B023
        body.append(f'<rect x="{left:.1f}" y="{y0:.1f}" width="{plot_w:.1f}" height="{panel_h:.1f}" fill="none" stroke="{GRID}"/>')
        body.append(f'<line x1="{left:.1f}" y1="{y(0.5):.1f}" x2="{left + plot_w:.1f}" y2="{y(0.5):.1f}" stroke="{GRID}" stroke-dasharray="2 3"/>')
        body.append(_symbol(4, y0 + panel_h / 2 + 4, label))
        body.append(_text(26, y0 + panel_h / 2 + 4, label.title))
        body.append(_text(left - 4, y0 + 9, "100%", "end", font_size="9px"))
        body.append(_text(left - 4, y0 + panel_h, "0%", "end", font_size="9px"))
        series = [(i, rates[j]) for i, (_, rates) in enumerate(points) if rates[j].estimate is not None]
        if not series:
            body.append(_text(left + 6, y0 + panel_h / 2 + 4, "no decisions", font_style="italic"))
            continue
        runs: list[list[tuple[int, RateLike]]] = []  # consecutive months: a band and a line each
        for k, (i, r) in enumerate(series):
            if k == 0 or position[series[k - 1][0]] != position[i] - 1:
                runs.append([])
            runs[-1].append((i, r))
        for i, r in series:  # the interval, a whisker in the label's colour (3:1 or more on white)
            cx, top_y, low_y = x(i), y(r.high), y(r.low)
            body.append(f'<path d="M{cx:.1f} {top_y:.1f}V{low_y:.1f}M{cx - WHISKER_CAP:.1f} {top_y:.1f}h{2 * WHISKER_CAP:g}'
                        f'M{cx - WHISKER_CAP:.1f} {low_y:.1f}h{2 * WHISKER_CAP:g}" stroke="{label.colour}" '
                        'stroke-width="1" fill="none"/>')
        path = "".join("".join(("M" if k == 0 else "L") + f"{x(i):.1f} {y(r.estimate):.1f}" for k, (i, r) in enumerate(run))
                       for run in runs)
        body.append(f'<path d="{path}" fill="none" stroke="{label.colour}" stroke-width="2"/>')
        for i, r in series:
            body.append(f'<circle cx="{x(i):.1f}" cy="{y(r.estimate):.1f}" r="2.5" fill="{label.colour}">'
                        f"<title>{escape(points[i][0])}: {percent(r.estimate)} ({number(r.positives)}/{number(r.decided)})</title></circle>")
        last_i, last = series[-1]
        body.append(_text(left + plot_w + 6, y(last.estimate) + 4, percent(last.estimate)))
    axis_y = top + len(labels) * (panel_h + gap) + 8
    every = max(1, math.ceil(56 / step)) if position[-1] else 1  # a month label is about 50px wide
    shown = -every
    for i, (month, _) in enumerate(points):
        if position[i] - shown >= every:  # the months drawn, each clear of the last one labelled
            body.append(_text(x(i), axis_y + 6, month, "middle", font_size="10px"))
            shown = position[i]
    return _svg(width, height, title, "For each concern label, the share of decided notes with the concern, "
                "month by month, with its 95% interval as a vertical line through each month's point.", body)


def heat_map(cases: Sequence[tuple[str, dict[str, int], int]], labels: Sequence[Label]) -> str:
    """Case files (rows) by label (columns): how many of each file's notes show the concern."""
    title = "Case files with the most concerns"
    if not cases:
        return _empty(title, "No case file has a decided concern.")
    left, cell_w, cell_h, top = 170.0, 46.0, 22.0, 30.0
    width = left + cell_w * len(labels) + 20
    height = top + cell_h * len(cases) + 16 + 18 * ((len(labels) + 1) // 2)
    peak = max(max(counts.values()) for _, counts, _ in cases) or 1
    body = []
    for j, label in enumerate(labels):
        body.append(_symbol(left + j * cell_w + cell_w / 2 - 8, top - 10, label))
    for i, (case_id, counts, read) in enumerate(cases):
        y = top + i * cell_h
        body.append(_text(4, y + cell_h / 2 + 4, f"{case_id} ({number(read)} read)"))
        for j, label in enumerate(labels):
            count = counts.get(label.name, 0)
            opacity = 0.08 + (HEAT_MAX_OPACITY - 0.08) * count / peak if count else 0
            cx = left + j * cell_w
            body.append(f'<rect x="{cx:.1f}" y="{y:.1f}" width="{cell_w - 2:.1f}" height="{cell_h - 2:.1f}" '
                        f'fill="{HEAT}" fill-opacity="{opacity:.2f}" stroke="{GRID}"/>')
            body.append(f'<text x="{cx + cell_w / 2 - 1:.1f}" y="{y + cell_h / 2 + 3:.1f}" text-anchor="middle" '
                        f'fill="{INK}">{number(count) if count else "·"}</text>')
    legend_top = top + cell_h * len(cases) + 16
    for k, label in enumerate(labels):
        lx, ly = 4 + (k % 2) * 240, legend_top + (k // 2) * 18
        body.append(_symbol(lx, ly, label))
        body.append(_text(lx + 20, ly, label.title, font_size="11px"))
    return _svg(width, height, title, "For the case files with the most concerns, the number of notes "
                "showing each concern; darker cells hold more.", body)
