"""Values from data made safe for the places HTML puts them: DOM ids, links, URL path segments.

Text and attribute values are escaped by the templates' autoescape; what
autoescape cannot judge is *meaning*: an id must be a valid, unique DOM id
whatever a plan or claim id contains, and a link must not run script when
clicked. Every template and plot takes these from here (Jinja filters
``dom_id``, ``link_url``, ``seg``).

>>> dom_id("plot-utility", "plan-one")
'plot-utility-plan-one'
>>> dom_id("plot-utility", '"><img src=x onerror=alert(1)>')
'plot-utility-___img_src_x_onerror_alert_1__-4c79c325'
>>> link_url("https://example.org/a?b=1"), link_url("javascript:alert(1)"), link_url(" JaVa\\tScript:x")
('https://example.org/a?b=1', None, None)
>>> seg("a/b c")
'a%2Fb%20c'
"""

from __future__ import annotations

import hashlib
import re
from urllib.parse import quote, urlsplit

_ID_CHARS = re.compile(r"[^A-Za-z0-9_-]")
_CONTROL = re.compile(r"[\x00-\x20\x7f-\x9f]")
LINK_SCHEMES = ("http", "https")


def dom_id(prefix: str, value: object) -> str:
    """``prefix-value`` as a DOM id: only ``[A-Za-z0-9_-]``; when anything had to change, a hash keeps it unique."""
    text = str(value)
    clean = _ID_CHARS.sub("_", text)[:80]
    if clean != text:
        clean += "-" + hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    return f"{prefix}-{clean}" if prefix else clean


def link_url(url: object) -> str | None:
    """``url`` when it is an absolute http(s) URL with a host, else None (the template shows no link)."""
    if not isinstance(url, str) or not url or _CONTROL.search(url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in LINK_SCHEMES or not parts.netloc:
        return None
    return url


def seg(value: object) -> str:
    """``value`` percent-encoded as one URL path segment (``/``, ``?``, ``#`` included)."""
    return quote(str(value), safe="")
