import datetime as dt
import os

import pytest

from accord.extract import documents as docs_mod
from accord.extract.documents import Document, Skipped, read_documents

from .conftest import ARTICLES


def _read(paths, **kw):
    out = list(read_documents(paths, **kw))
    return [d for d in out if isinstance(d, Document)], [s for s in out if isinstance(s, Skipped)]


def test_fixture_metadata_from_front_matter_sidecar_and_html():
    docs, skipped = _read([ARTICLES])
    assert not skipped
    by = {d.id: d for d in docs}
    assert by["a01_ushakov_terms"].date == dt.date(2025, 12, 2)  # front matter
    assert by["a01_ushakov_terms"].text.startswith("Kremlin aide")  # front matter removed
    assert by["a04_witkoff_moscow"].date == dt.date(2025, 11, 29)  # sidecar meta.jsonl
    assert by["a04_witkoff_moscow"].url == "https://example.org/fixture/witkoff-moscow"
    html = by["a03_kyiv_amnesty"]  # trafilatura: metadata and text, no navigation
    assert html.date == dt.date(2025, 11, 26) and html.url == "https://example.org/fixture/kyiv-amnesty"
    assert "Yermak" in html.text and "Home" not in html.text
    assert sorted(by) == sorted(by)  # deterministic order
    assert [d.id for d in docs] == sorted(d.id for d in docs)


def test_date_from_a_dateline_when_no_metadata(tmp_path):
    (tmp_path / "x.txt").write_text("Title\n\nNovember 21, 2025\n\nPutin said no.\n")
    docs, _ = _read([tmp_path])
    assert docs[0].date == dt.date(2025, 11, 21)


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("empty.txt", b"", "empty file"),
        ("blank.md", b"  \n\n\t\n", "empty file (only white space)"),
        ("binary.txt", b"PK\x03\x04\x00\x00binary", "binary file (NUL bytes)"),
        ("latin1.txt", "Kyiv said caf\u00e9".encode("latin-1"), "not UTF-8 (invalid byte 0xe9 at offset 13)"),
        ("huge.txt", b"word " * 400, "too large (2,000 bytes > limit 1,000)"),
        ("photo.jpg", b"\xff\xd8\xff", "unsupported file type '.jpg' (use .txt, .md or .html)"),
    ],
)
def test_each_bad_input_is_skipped_with_one_reason(tmp_path, name, data, reason):
    (tmp_path / "good.txt").write_text("Kyiv rejected the plan.\n")
    (tmp_path / name).write_bytes(data)
    paths = [tmp_path] if name.endswith((".txt", ".md")) else [tmp_path / "good.txt", tmp_path / name]
    docs, skipped = _read(paths, max_bytes=1000)
    assert [d.id for d in docs] == ["good"]
    assert [(os.path.basename(s.path), s.reason) for s in skipped] == [(name, reason)]
    assert str(skipped[0]).startswith("skipped ") and "\n" not in str(skipped[0])


def test_unreadable_and_missing_files(tmp_path, monkeypatch):
    p = tmp_path / "locked.txt"
    p.write_text("text")

    def deny(*a, **k):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(docs_mod, "open", deny, raising=False)
    _, skipped = _read([p, tmp_path / "gone.txt"])
    assert [s.reason for s in skipped] == ["unreadable (Permission denied)", "not found"]


def test_html_without_article_text(tmp_path):
    (tmp_path / "x.html").write_text(
        "<html><head><title>t</title></head><body><script>var a = 1;</script></body></html>"
    )
    docs, skipped = _read([tmp_path])
    assert not docs and skipped[0].reason == "no article text found in the HTML"
