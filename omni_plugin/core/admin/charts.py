"""Line charts drawn on the server as inline SVG, each with the table of its figures."""

from dataclasses import dataclass

from django.utils.formats import date_format
from django.utils.translation import gettext_lazy

WIDTH, HEIGHT = 640, 220
LEFT, RIGHT, TOP, BOTTOM = 56, 12, 12, 28
#: Distinguishable colours, dark enough on white.
COLOURS = ("#1f5fa8", "#d4661f", "#2a8a3e", "#b32d5e", "#6a4fb3", "#6b6b6b")


@dataclass(frozen=True)
class Scale:
    """How the x axis reads: per day, or per hour for the first days of a push campaign."""

    heading: str
    tick_format: str
    row_format: str


DAILY = Scale(gettext_lazy("Day"), "M j", "D j M")
HOURLY = Scale(gettext_lazy("Hour"), "D H:i", "D j M H:i")


@dataclass(frozen=True)
class Line:
    label: str
    colour: str
    points: str


@dataclass(frozen=True)
class Tick:
    x: str
    y: str
    label: str
    anchor: str = "middle"


@dataclass(frozen=True)
class LineChart:
    title: str
    lines: list
    y_ticks: list
    x_ticks: list
    columns: list
    rows: list
    row_heading: str = DAILY.heading
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    bottom: int = HEIGHT - BOTTOM
    right: int = WIDTH - RIGHT


def _coordinate(value):
    return f"{value:.1f}"


def line_chart(title, days, series, value_format=str, scale=DAILY):
    """A chart of ``series`` — ``(label, values)`` pairs, one value per day — over ``days``.

    With ``scale=HOURLY``, ``days`` are the (local) starts of hours.
    """
    top = max((value for _, values in series for value in values), default=0) or 1
    plot_width, plot_height = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(index):
        return LEFT + (plot_width * index / (len(days) - 1) if len(days) > 1 else plot_width / 2)

    def y(value):
        return TOP + plot_height * (1 - value / top)

    lines = [
        Line(
            label,
            COLOURS[index % len(COLOURS)],
            " ".join(f"{_coordinate(x(i))},{_coordinate(y(v))}" for i, v in enumerate(values)),
        )
        for index, (label, values) in enumerate(series)
    ]
    y_ticks = [
        Tick(_coordinate(LEFT - 6), _coordinate(y(value)), value_format(value))
        for value in (0, top / 2, top)
    ]
    labelled = sorted({0, len(days) // 2, len(days) - 1})
    # The first and last labels line up with the plot's edges rather than overflow them.
    anchors = {0: "start", len(days) - 1: "end"} if len(days) > 1 else {}
    x_ticks = [
        Tick(
            _coordinate(x(i)),
            _coordinate(HEIGHT - 8),
            date_format(days[i], scale.tick_format),
            anchors.get(i, "middle"),
        )
        for i in labelled
    ]
    rows = [
        (date_format(day, scale.row_format), [value_format(values[i]) for _, values in series])
        for i, day in enumerate(days)
    ]
    columns = [label for label, _ in series]
    return LineChart(title, lines, y_ticks, x_ticks, columns, rows, row_heading=scale.heading)
