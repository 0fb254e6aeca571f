"""Keys, canonical JSON, report signing and the CSV / JSON Lines readers."""

from __future__ import annotations

import datetime as dt
import math

import pytest

from accord.errors import AccordError
from accord.monitor import keys
from accord.monitor.canonical import canonical_json
from accord.monitor.reports import (
    Report,
    parse_csv,
    parse_jsonl,
    parse_reports,
    report_problem,
    sign_report,
    signing_payload,
    to_csv,
    to_jsonl,
)

KEY = keys.private_key_from_seed(bytes(range(32)))
PUB = keys.public_key_hex(KEY)
OTHER = keys.private_key_from_seed(bytes(range(1, 33)))


def test_ed25519_rfc8032_test_1() -> None:
    # RFC 8032 §7.1, TEST 1: the empty message
    sk = keys.private_key_from_seed(bytes.fromhex(
        "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"))
    assert keys.public_key_hex(sk) == "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"
    sig = keys.sign(sk, b"")
    assert sig == ("e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155"
                   "5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b")
    assert keys.verify(keys.public_key_hex(sk), sig, b"")
    assert not keys.verify(keys.public_key_hex(sk), sig, b"x")
    assert not keys.verify(keys.public_key_hex(sk), sig[:-2], b"")
    assert not keys.verify("zz", sig, b"")


def test_key_files_roundtrip() -> None:
    pem = keys.private_key_pem(KEY)
    assert keys.public_key_hex(keys.private_key_from_pem(pem)) == PUB
    assert keys.public_key_hex(keys.private_key_from_pem(keys.private_key_seed_hex(KEY).encode())) == PUB
    with pytest.raises(AccordError):
        keys.private_key_from_pem(b"not a key")
    with pytest.raises(AccordError):
        keys.check_public_key_hex("ab" * 31)


def test_canonical_json() -> None:
    assert canonical_json({"z": 1, "a": {"y": [1.5, 2.0], "b": None}}) == b'{"a":{"b":null,"y":[1.5,2]},"z":1}'
    assert canonical_json("é") == '"é"'.encode()
    with pytest.raises(AccordError):
        canonical_json({"x": math.nan})


def report(**kw: object) -> Report:
    base: dict[str, object] = dict(monitor="m1", indicator="army", value=600000, observed_at="2026-03-01",
                                   source="imagery", confidence=0.8)
    base.update(kw)
    return Report.model_validate(base)


def test_signing_payload_is_the_documented_canonical_json() -> None:
    r = report(location="Kyiv")
    assert signing_payload(r) == (
        b'{"confidence":0.8,"indicator":"army","location":"Kyiv","monitor":"m1",'
        b'"observed_at":"2026-03-01T00:00:00Z","source":"imagery","type":"accord.report/1","value":600000}'
    )
    # the same observation written differently signs the same bytes
    same = report(location="Kyiv", value=600000.0, observed_at="2026-03-01T01:00:00+01:00")
    assert signing_payload(same) == signing_payload(r)


def test_signature_checks() -> None:
    r = sign_report(report(), KEY)
    registered = {"m1": [PUB]}
    assert report_problem(r, registered) is None
    assert report_problem(report(), registered) == "unsigned report (no signature)"
    assert "no registered key" in report_problem(r.model_copy(update={"monitor": "m2"}), registered)
    for change in ({"value": 599999}, {"confidence": 0.9}, {"source": "other"}, {"location": "x"},
                   {"observed_at": dt.datetime(2026, 3, 2, tzinfo=dt.UTC)}):
        assert "does not verify" in report_problem(r.model_copy(update=change), registered), change
    assert "does not verify" in report_problem(sign_report(report(), OTHER), registered)
    # a monitor with two registered keys: either verifies
    assert report_problem(sign_report(report(), OTHER), {"m1": [PUB, keys.public_key_hex(OTHER)]}) is None
    assert report_problem(r.model_copy(update={"signature": "xyz"}), registered) is not None


def test_report_validation() -> None:
    assert report(observed_at="2026-03-01T10:00:00").observed_at.tzinfo == dt.UTC
    assert report(observed_at="2026-03-01T10:00:00Z").observed_at.hour == 10
    for bad in ({"confidence": 1.5}, {"value": "lots"}, {"observed_at": "yesterday"}, {"monitor": ""},
                {"source": "  "}, {"value": math.inf}, {"colour": "red"}):
        with pytest.raises(ValueError):
            report(**bad)


GOOD = sign_report(report(), KEY)


def test_csv_reports_each_bad_row_by_number_and_keeps_good_ones() -> None:
    header = "monitor,indicator,value,observed_at,source,confidence,signature\n"
    sig = GOOD.signature
    text = (header
            + f"m1,army,600000,2026-03-01,imagery,0.8,{sig}\n"          # line 2 good
            + "m1,army,not-a-number,2026-03-01,imagery,0.8,\n"         # 3 bad value
            + "m1,army,1,2026-03-01\n"                                # 4 too few fields
            + "\n"                                                     # 5 blank: skipped
            + "m1,army,1,2026-13-45,imagery,0.8,\n"                    # 6 bad date
            + 'm1,"army\nsplit",1,2026-03-01,imagery,0.8,\n'          # 7-8 quoted newline: one record
            + "m1,army,2,2026-03-02,imagery,7,\n"                      # 9 confidence out of range
            + ",army,3,2026-03-02,imagery,0.5,\n")                     # 10 no monitor
    rows = parse_csv(text)
    assert [(r.number, r.problem is None) for r in rows] == [
        (2, True), (3, False), (4, False), (6, False), (7, True), (9, False), (10, False)]
    assert rows[0].report == GOOD
    assert "value" in rows[1].problem and "7 fields, found 4" in rows[2].problem
    assert "observed_at" in rows[3].problem and "confidence" in rows[5].problem and "monitor" in rows[6].problem


def test_csv_header_problems_fail_the_file() -> None:
    with pytest.raises(AccordError, match="missing columns value"):
        parse_csv("monitor,indicator,observed_at,source\n")
    with pytest.raises(AccordError, match="unknown columns colour"):
        parse_csv("monitor,indicator,value,observed_at,source,colour\n")
    with pytest.raises(AccordError, match="empty"):
        parse_csv("")


def test_jsonl_rows() -> None:
    text = to_jsonl([GOOD]) + "\n" + "[1, 2]\n" + '{"monitor": "m1"\n' + '{"monitor": "m1", "value": 1}\n'
    rows = parse_jsonl(text)
    assert [r.number for r in rows] == [1, 3, 4, 5]
    assert rows[0].report == GOOD
    assert rows[1].problem == "expected a JSON object"
    assert rows[2].problem.startswith("not valid JSON")
    assert "indicator" in rows[3].problem


def test_writers_roundtrip() -> None:
    reports = [GOOD, sign_report(report(value=1.5, location="Kharkiv, east"), KEY)]
    assert [r.report for r in parse_csv(to_csv(reports))] == reports
    assert [r.report for r in parse_jsonl(to_jsonl(reports))] == reports
    assert [r.report for r in parse_reports(to_jsonl(reports), "x.JSONL")] == reports
    with pytest.raises(AccordError, match=r"\.csv or \.jsonl"):
        parse_reports("", "x.txt")
