"""The canonical JSON encoding that reports, ledger entries and tree heads are hashed and signed over.

One value has one encoding: UTF-8, object keys sorted, no insignificant
whitespace, integral floats written as integers (``600000.0`` → ``600000``),
other floats in Python's shortest round-trip form, NaN and infinities refused.
For the values accord signs (strings, integers, finite floats, booleans, null,
lists and objects of them) this is the JSON Canonicalization Scheme of
RFC 8785 except for the exponent form of very large or very small floats.

>>> canonical_json({"b": 1.0, "a": "é", "c": [True, None, 0.25]})
b'{"a":"\\xc3\\xa9","b":1,"c":[true,null,0.25]}'
"""

from __future__ import annotations

import json
import math
from typing import Any

from accord.errors import AccordError


def canonical_value(obj: Any) -> Any:
    """``obj`` with integral floats turned into ints (recursively); refuses NaN/inf."""
    if isinstance(obj, bool) or obj is None or isinstance(obj, str | int):
        return obj
    if isinstance(obj, float):
        if not math.isfinite(obj):
            raise AccordError(f"cannot encode {obj!r}: only finite numbers are allowed")
        return int(obj) if obj.is_integer() and abs(obj) < 2**53 else obj
    if isinstance(obj, dict):
        return {str(k): canonical_value(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [canonical_value(v) for v in obj]
    raise AccordError(f"cannot encode a {type(obj).__name__} in canonical JSON")


def canonical_json(obj: Any) -> bytes:
    """The canonical UTF-8 JSON bytes of ``obj`` (see the module docstring)."""
    return json.dumps(
        canonical_value(obj), sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")
