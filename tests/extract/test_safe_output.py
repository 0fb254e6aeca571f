"""`accord extract -o` destroys nothing: hole 4 of issue 16, each reproduced and now refused."""

from __future__ import annotations

import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from accord.cli import app

from .conftest import ARTICLES

runner = CliRunner()


def invoke(*args):
    return runner.invoke(app, [str(a) for a in args])


def refused(r) -> str:
    """The one-line error of a refused run (main() prints AccordError; the runner keeps it as the exception)."""
    assert r.exit_code != 0
    return str(r.exception)


def test_a_symlink_target_is_refused_and_the_file_it_points_to_kept(tmp_path):
    precious = tmp_path / "precious.txt"
    precious.write_text("keep me\n")
    link = tmp_path / "out.jsonl"
    link.symlink_to(precious)
    msg = refused(invoke("extract", ARTICLES, "-o", link))
    assert "is a symbolic link, not a regular file" in msg and "out.jsonl" in msg
    assert link.is_symlink() and precious.read_text() == "keep me\n"
    assert not (tmp_path / "out.jsonl.partial").exists()


def test_a_fifo_target_is_refused_without_blocking(tmp_path):
    fifo = tmp_path / "out.jsonl"
    os.mkfifo(fifo)
    assert "is a FIFO" in refused(invoke("extract", ARTICLES, "-o", fifo))
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_a_device_target_is_refused_and_stays_a_device():
    assert "is a character device" in refused(invoke("extract", ARTICLES, "-o", "/dev/null"))
    assert stat.S_ISCHR(os.lstat("/dev/null").st_mode)


def test_a_symlink_planted_as_the_partial_file_is_refused(tmp_path):
    precious = tmp_path / "precious.txt"
    precious.write_text("keep me\n")
    (tmp_path / "out.jsonl.partial").symlink_to(precious)
    assert "out.jsonl.partial: is a symbolic link" in refused(invoke("extract", ARTICLES, "-o", tmp_path / "out.jsonl"))
    assert precious.read_text() == "keep me\n"


def test_an_undecodable_file_name_is_skipped_and_the_rest_extracted(tmp_path):
    folder = tmp_path / "in"
    shutil.copytree(ARTICLES, folder)
    bad = os.fsdecode(os.fsencode(folder) + b"/zz_caf\xe9.txt")
    Path(bad).write_text("Moscow rejected the plan.\n")
    out = tmp_path / "c.jsonl"
    r = invoke("extract", folder, "-o", out, "--rules")
    assert r.exit_code == 1, r.output  # skipped files: exit 1, like any unreadable file
    assert "zz_caf\\xe9.txt: file name is not valid UTF-8" in r.output
    assert "5 documents, 20 claims, 1 skipped" in r.output
    assert len(out.read_text().splitlines()) == 20


def test_interrupted_run_keeps_the_previous_output_and_resume_finishes_it(tmp_path, monkeypatch):
    from accord.extract import engine

    out = tmp_path / "c.jsonl"
    assert invoke("extract", ARTICLES, "-o", out).exit_code == 0
    complete = out.read_bytes()
    out.write_text("earlier output\n")
    real = engine.run_local

    def dies_after_two(docs, case, **kw):
        for i, r in enumerate(real(docs, case, **kw)):
            if i == 2:
                raise KeyboardInterrupt
            yield r

    monkeypatch.setattr(engine, "run_local", dies_after_two)
    r = invoke("extract", ARTICLES, "-o", out)
    assert r.exit_code == 130
    assert out.read_text() == "earlier output\n"
    assert f"{out} left as it was" in r.output and "c.jsonl.partial (continue with --resume)" in r.output
    partial = tmp_path / "c.jsonl.partial"
    docs = [json.loads(line)["doc"] for line in partial.read_text().splitlines()]
    assert set(docs) == {"a01_ushakov_terms", "a02_europe_amendments"}
    monkeypatch.setattr(engine, "run_local", real)
    seen: list[str] = []

    def counting(docs, case, **kw):
        for r in real(docs, case, **kw):
            seen.append(r.doc)
            yield r

    monkeypatch.setattr(engine, "run_local", counting)
    r = invoke("extract", ARTICLES, "-o", out, "--resume")
    assert r.exit_code == 0, r.output
    # the last document of the partial file may be cut short: it is done again, the first is not
    assert seen == ["a02_europe_amendments", "a03_kyiv_amnesty", "a04_witkoff_moscow", "a05_plant_sanctions"]
    assert out.read_bytes() == complete and not partial.exists()


def test_resume_cuts_a_torn_last_line(tmp_path):
    out = tmp_path / "c.jsonl"
    assert invoke("extract", ARTICLES, "-o", out).exit_code == 0
    complete = out.read_bytes()
    lines = complete.splitlines(keepends=True)
    (tmp_path / "c.jsonl.partial").write_bytes(b"".join(lines[:9]) + lines[9][:25])  # a line cut in the middle
    out.unlink()
    r = invoke("extract", ARTICLES, "-o", out, "--resume")
    assert r.exit_code == 0, r.output
    assert out.read_bytes() == complete


def test_resume_needs_an_output_and_a_partial_file_of_claims(tmp_path):
    assert "--resume continues an -o FILE run" in refused(invoke("extract", ARTICLES, "--resume"))
    (tmp_path / "c.jsonl.partial").write_text("not json\n")
    msg = refused(invoke("extract", ARTICLES, "-o", tmp_path / "c.jsonl", "--resume"))
    assert "c.jsonl.partial:1: not a claim line" in msg


def test_ctrl_c_in_a_real_process_leaves_the_earlier_output(tmp_path):
    """A real SIGINT to `accord extract -o` mid-run: the earlier file is untouched, the partial one named."""
    folder = tmp_path / "in"
    folder.mkdir()
    # enough documents (2,000) that the run is still going when the signal comes, however fast: the partial
    # file gets its first bytes when a buffer fills, and with 300 the run (~100 a CPU second) had once ended
    # by then; the run is interrupted early, so the size costs only the copying
    for k in range(400):
        for f in ARTICLES.iterdir():
            if f.suffix in (".txt", ".md", ".html"):
                shutil.copy(f, folder / f"{k}_{f.name}")
    out = tmp_path / "out.jsonl"
    out.write_text("the complete earlier run\n")
    partial = tmp_path / "out.jsonl.partial"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    # a shell that ran the tests in the background left SIGINT ignored, and children inherit that:
    # the child restores Python's handler so the signal below is a real Ctrl-C wherever the suite runs
    child = ("import signal; signal.signal(signal.SIGINT, signal.default_int_handler); "
             "from accord.cli import main; main()")
    cmd = [sys.executable, "-c", child, "extract", str(folder), "-o", str(out)]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        if partial.exists() and partial.stat().st_size > 0:
            break
        time.sleep(0.05)
    if proc.poll() is not None:
        pytest.fail(f"the run ended before it could be interrupted: {proc.communicate()}")
    # one press: a SIGINT that lands in a __del__ (the regex package's, during extraction) is swallowed by Python
    # and was lost now and then (the run finished: rc 0); accord raises it again at the next document
    proc.send_signal(signal.SIGINT)
    try:
        got, err = proc.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        proc.kill()
        got, err = proc.communicate()
    assert proc.returncode == 130, (got[-800:], err)
    assert out.read_text() == "the complete earlier run\n"
    assert "interrupted:" in err and str(partial) in err and "--resume" in err
    assert partial.stat().st_size > 0
