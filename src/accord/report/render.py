"""Render :class:`~accord.report.data.ReportData` as one self-contained HTML file and as Markdown.

Both come from Jinja2 templates in ``accord/report/templates``; HTML is
autoescaped (a quote containing ``<script>`` shows as text), the Markdown
twin escapes Markdown and HTML specials in every free-text field. The HTML
inlines its CSS and plotly's JavaScript once, so it opens with no network.

>>> from accord.model import DEFAULT_CASE, load_case
>>> from accord.report.data import report_data
>>> md = render_markdown(report_data(load_case(DEFAULT_CASE), solve=False, forecast=False))
>>> md.startswith("# Report:")
True
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Mapping
from functools import cache
from typing import Any

from jinja2 import BaseLoader, ChoiceLoader, Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape

from accord.report.data import VERDICT_LABEL, PlanMatrix, ReportData
from accord.report.plots import VERDICT_COLOURS
from accord.report.safe import dom_id, link_url, seg

VERDICT_MARK = {"accepts": "✓", "conditional": "~", "red_line": "✗", "none": "·"}
SECTIONS = (
    ("summary", "Summary"),
    ("matrix", "Plan matrix"),
    ("tilt", "Tilt"),
    ("diff", "Plan-version diff"),
    ("positions", "Positions and sources"),
    ("time", "Positions over time and what changed"),
    ("solve", "Solve: conflicts, Pareto frontier, Nash package"),
    ("forecast", "Forecast: outcome distributions and scenarios"),
    ("compliance", "Compliance board"),
)
"""Section ids (HTML anchors) and titles, in report order."""


def num(x: float | None, digits: int = 3) -> str:
    """A number as the report prints it (``—`` for none)."""
    return "—" if x is None else f"{x:.{digits}f}"


def signed(x: float | None, digits: int = 3) -> str:
    return "—" if x is None else f"{x:+.{digits}f}"


def pct(x: float | None, digits: int = 1) -> str:
    return "—" if x is None else f"{100 * x:.{digits}f}%"


def highlight(text: str, quote: str | None) -> Markup:
    """``text`` escaped, with ``quote`` (when found in it) wrapped in ``<mark>``.

    >>> str(highlight("He said <b>no</b> twice.", "<b>no</b>"))
    'He said <mark>&lt;b&gt;no&lt;/b&gt;</mark> twice.'
    """
    if quote:
        q = quote.strip().strip("\"“”'‘’")
        i = text.find(q) if q else -1
        if i < 0 and q:
            i = text.casefold().find(q.casefold())
        if i >= 0 and q:
            return Markup("{}<mark>{}</mark>{}").format(text[:i], text[i:i + len(q)], text[i + len(q):])
    return Markup(escape(text))


def highlight_span(text: str, start: int | None, end: int | None) -> Markup:
    """``text`` escaped, with the character span ``[start, end)`` wrapped in ``<mark>``."""
    if start is None or end is None or not 0 <= start <= end <= len(text):
        return Markup(escape(text))
    return Markup("{}<mark>{}</mark>{}").format(text[:start], text[start:end], text[end:])


def as_of_line(data: ReportData) -> str:
    """What date the report views the case as of, in words.

    >>> import datetime as dt
    >>> from accord.model import DEFAULT_CASE, load_case
    >>> from accord.report.data import report_data
    >>> as_of_line(report_data(load_case(DEFAULT_CASE).at(dt.date(2025, 11, 21)), solve=False, forecast=False))
    'As of 2025-11-21: positions in effect that day, plans and outcomes dated by then.'
    """
    if data.as_of is None:
        return ("Latest state of every position; each plan is judged against the positions "
                "as of its own date.")
    return f"As of {data.as_of.isoformat()}: positions in effect that day, plans and outcomes dated by then."


def judged_line(matrix: PlanMatrix, data: ReportData) -> str:
    """Which positions a plan's matrix was judged against, in words."""
    if matrix.as_of is None:
        return "the latest positions"
    if data.as_of is None and matrix.date == matrix.as_of:
        return f"the positions as of {matrix.as_of.isoformat()}, the plan's date"
    return f"the positions as of {matrix.as_of.isoformat()}"


_MD_SPECIAL = re.compile(r"([\\`*_\[\]|<>#])")


def md(text: Any) -> str:
    """Free text made safe for a Markdown table cell: specials escaped, HTML neutralised, one line.

    >>> md("a|b <script>x</script>")
    'a\\\\|b \\\\<script\\\\>x\\\\</script\\\\>'
    """
    s = "" if text is None else str(text)
    s = s.replace("&", "&amp;")
    s = _MD_SPECIAL.sub(lambda m: "\\" + m.group(1), s)
    return " ".join(s.split())


def md_url(url: str) -> str:
    """A URL safe inside ``<…>`` of a Markdown link (no spaces, brackets or quotes)."""
    return re.sub(r"[\s<>()\"'`]", lambda m: f"%{ord(m.group(0)):02X}", url)


def environment(*extra: BaseLoader) -> Environment:
    """The Jinja2 environment of the report (and, with ``extra`` loaders first, of the dashboard)."""
    env = Environment(
        loader=ChoiceLoader([*extra, PackageLoader("accord.report", "templates")]),
        autoescape=select_autoescape(enabled_extensions=("html", "htm", "j2"), default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(num=num, signed=signed, pct=pct, highlight=highlight, highlight_span=highlight_span,
                       md=md, md_url=md_url, link_url=link_url, seg=seg)
    env.globals.update(VERDICT_MARK=VERDICT_MARK, VERDICT_LABEL=VERDICT_LABEL, VERDICT_COLOURS=VERDICT_COLOURS,
                       SECTIONS=SECTIONS, as_of_line=as_of_line, judged_line=judged_line, dom_id=dom_id)
    return env


_ENV: Environment | None = None


def _env() -> Environment:
    global _ENV
    if _ENV is None:
        _ENV = environment()
    return _ENV


def render_html(data: ReportData, *, plots: Mapping[str, str] | None = None, inline_js: bool = True) -> str:
    """The report as one self-contained HTML page (CSS and plotly.js inlined; no network needed).

    ``plots`` defaults to :func:`accord.report.plots.report_plots`; pass ``{}`` for a page without figures.
    """
    from accord.report.plots import plotly_js, plots_js, report_plots

    figs = dict(report_plots(data) if plots is None else plots)
    js = Markup(plotly_js()) if (figs and inline_js) else None
    return _env().get_template("report.html").render(data=data, plots=figs, plotly_js=js, plots_js=Markup(plots_js()))


@cache
def report_script_hashes() -> tuple[str, ...]:
    """CSP sources (``'sha256-…'``) of the report's two inline scripts: plotly.js and the plot drawer.

    A server that hands out the report allows exactly these scripts and no other.
    """
    from accord.report.plots import plotly_js, plots_js

    return tuple("'sha256-" + base64.b64encode(hashlib.sha256(js.encode("utf-8")).digest()).decode() + "'"
                 for js in (plotly_js(), plots_js()))


def render_markdown(data: ReportData) -> str:
    """The report's Markdown twin: the same sections and numbers, tables instead of plots."""
    return _env().get_template("report.md").render(data=data)
