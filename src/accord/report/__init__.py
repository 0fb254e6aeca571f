"""The report: every section's data built once from the engines, rendered as self-contained HTML and Markdown.

>>> from accord.model import load_case
>>> data = report_data(load_case("ukraine_2025"), solve=False, forecast=False)
>>> "Plan matrix" in render_html(data, plots={})
True
"""

from accord.report.data import ReportData, report_data
from accord.report.render import render_html, render_markdown

__all__ = ["ReportData", "render_html", "render_markdown", "report_data"]
