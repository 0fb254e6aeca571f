"""Claims as JSON Lines files: read them (every bad line named), write them without destroying anything.

:class:`ClaimsOutput` is how ``accord extract -o FILE`` writes. Claims go to
``FILE.partial`` beside the target, a document's claims in one write, so a line
is whole or absent; only a complete run renames it over ``FILE``. ``FILE`` must be
a regular file or not exist — a symbolic link, FIFO, device or folder is refused
before anything is read. An interrupted run leaves ``FILE`` as it was and the
partial file where it is; ``resume=True`` keeps the documents it finished (all
but the last one written, which may be cut short) and the run does only the rest.

>>> import tempfile
>>> from pathlib import Path
>>> folder = Path(tempfile.mkdtemp())
>>> out = ClaimsOutput(folder / "claims.jsonl")
>>> out.write_lines(['{"doc": "d1"}'])
>>> sorted(p.name for p in folder.iterdir())                  # nothing replaced yet
['claims.jsonl.partial']
>>> out.commit()
>>> (folder / "claims.jsonl").read_text()
'{"doc": "d1"}\\n'
>>> (folder / "link.jsonl").symlink_to(folder / "claims.jsonl")
>>> ClaimsOutput(folder / "link.jsonl")
Traceback (most recent call last):
...
accord.errors.AccordError: ...link.jsonl: is a symbolic link, not a regular file; accord writes output only ...
"""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from accord.errors import AccordError, Problem

if TYPE_CHECKING:
    from accord.model import Claim

PARTIAL = ".partial"
"""The suffix of the file a run writes to before it is complete."""

_KINDS = ((stat.S_ISLNK, "a symbolic link"), (stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a FIFO"),
          (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"))


def _not_regular(path: Path) -> str | None:
    """What ``path`` is when it exists and is not a regular file (a link is not followed)."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return None
    if stat.S_ISREG(mode):
        return None
    return next((what for test, what in _KINDS if test(mode)), "not a regular file")


def check_target(path: Path) -> None:
    """Refuse to write over anything but a regular file (or nothing)."""
    what = _not_regular(path)
    if what is not None:
        raise AccordError(f"{path}: is {what}, not a regular file; accord writes output only to a regular file "
                          "(give another path)")


class ClaimsOutput:
    """JSON lines written to ``path.partial``; :meth:`commit` renames it over ``path``.

    With ``resume`` an existing partial file is kept: :attr:`done` names the
    documents it holds whole (the last document written is dropped, it may be
    incomplete), and new lines are appended after them.
    """

    def __init__(self, path: Path, resume: bool = False):
        self.path = path
        self.tmp = path.with_name(path.name + PARTIAL)
        check_target(path)
        check_target(self.tmp)
        path.parent.mkdir(parents=True, exist_ok=True)
        self.done: set[str] = set()
        self.kept = 0
        flags = os.O_WRONLY | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0)
        if resume and self.tmp.exists():
            self._keep_finished()
            self.fd = os.open(self.tmp, flags | os.O_APPEND, 0o644)
        else:
            self.fd = os.open(self.tmp, flags | os.O_TRUNC, 0o644)
        self.written = self.kept

    def _keep_finished(self) -> None:
        """Cut the partial file after its last whole document; remember which documents it holds."""
        data = self.tmp.read_bytes()
        lines = data[: data.rfind(b"\n") + 1].splitlines(keepends=True)
        docs: list[str] = []
        for n, line in enumerate(lines, 1):
            try:
                doc = json.loads(line)["doc"]
            except (ValueError, KeyError, TypeError):
                raise AccordError(f"{self.tmp}:{n}: not a claim line; cannot resume from this file "
                                  "(remove it to start over)") from None
            docs.append(str(doc))
        last = docs[-1] if docs else None
        keep = [line for line, doc in zip(lines, docs, strict=True) if doc != last]
        with open(self.tmp, "r+b") as f:
            f.truncate(sum(len(x) for x in keep))
        self.done = {d for d in docs if d != last}
        self.kept = len(keep)

    def write_lines(self, lines: Iterable[str]) -> None:
        """Append one document's lines in a single write (whole lines or, if cut short, a cut last one)."""
        data = "".join(line + "\n" for line in lines).encode("utf-8")
        view = memoryview(data)
        while view:
            n = os.write(self.fd, view)
            view = view[n:]
        self.written += data.count(b"\n")

    def write(self, claims: Iterable[Claim]) -> None:
        """Append one document's claims."""
        from accord.cli.app import to_jsonable

        self.write_lines(json.dumps(to_jsonable(c), sort_keys=True, ensure_ascii=False) for c in claims)

    def _close(self) -> None:
        if self.fd >= 0:
            os.fsync(self.fd)
            os.close(self.fd)
            self.fd = -1

    def commit(self) -> None:
        """The run is complete: replace the target with what was written."""
        self._close()
        check_target(self.path)  # once more, just before the rename
        os.replace(self.tmp, self.path)

    def abandon(self) -> None:
        """The run stopped early: keep the target as it was and the partial file for ``--resume``."""
        if self.fd >= 0:
            self._close()


def read_claims(path: Path) -> list[Claim]:
    """Claims from a JSON Lines file (one claim per line); every bad line is reported with its number.

    >>> import tempfile
    >>> p = Path(tempfile.mkdtemp()) / "c.jsonl"
    >>> _ = p.write_text('{"doc": "d"}\\n\\nnot json\\n')
    >>> read_claims(p)
    Traceback (most recent call last):
    ...
    accord.errors.AccordError: ...c.jsonl:1: holder: Field required
    ...c.jsonl:3: not JSON (Expecting value)
    """
    from pydantic import ValidationError

    from accord.model import Claim

    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise AccordError(f"{path}: cannot read claims ({e})") from None
    out: list[Claim] = []
    problems: list[Problem] = []
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            out.append(Claim.model_validate(json.loads(line)))
        except json.JSONDecodeError as e:
            problems.append(Problem(str(path), n, "", f"not JSON ({e.msg})"))
        except ValidationError as e:
            err = e.errors()[0]
            problems.append(Problem(str(path), n, ".".join(str(x) for x in err["loc"]), err["msg"]))
    if problems:
        raise AccordError(problems)
    return out
