"""The report: every section's data built once from the engines, rendered as self-contained HTML and Markdown.

>>> from accord.model import DEFAULT_CASE, load_case
>>> data = report_data(load_case(DEFAULT_CASE), solve=False, forecast=False)
>>> "Plan matrix" in render_html(data, plots={})
True
"""

from accord.report.data import ReportData, report_data
from accord.report.render import render_html, render_markdown

__all__ = ["ReportData", "render_html", "render_markdown", "report_data"]
