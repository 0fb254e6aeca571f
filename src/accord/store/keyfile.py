"""Private keys on disk: the ledger's log key and monitors' keys (PEM, mode 0600).

The log key signs tree heads. It lives outside the database — whoever can edit
the database rows cannot also re-sign the tree heads. Where it is looked for:
``--log-key PATH``, else ``$ACCORD_LOG_KEY``, else next to a SQLite file
(``accord.db`` → ``accord.log-key.pem``), else ``accord.log-key.pem`` in the
working directory.
"""

from __future__ import annotations

import os
from pathlib import Path

from accord.errors import AccordError
from accord.monitor import keys as _keys
from accord.store.url import sqlite_path

ENV_LOG_KEY = "ACCORD_LOG_KEY"
LOG_KEY_NAME = "accord.log-key.pem"


def default_log_key_path(url: str) -> Path:
    """Where the log key of the database at ``url`` is kept by default."""
    env = os.environ.get(ENV_LOG_KEY)
    if env:
        return Path(env)
    db = sqlite_path(url)
    if db:
        p = Path(db).expanduser()
        return p.with_name(p.stem + ".log-key.pem")
    return Path(LOG_KEY_NAME)


def read_private_key(path: Path) -> _keys.Ed25519PrivateKey:
    try:
        data = path.read_bytes()
    except OSError as e:
        raise AccordError(f"{path}: cannot read key ({e.strerror})") from None
    return _keys.private_key_from_pem(data, str(path))


def write_private_key(path: Path, key: _keys.Ed25519PrivateKey) -> None:
    """Write a PEM private key readable only by its owner; never overwrite."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise AccordError(f"{path}: already exists (not overwriting a key)") from None
    with os.fdopen(fd, "wb") as f:
        f.write(_keys.private_key_pem(key))


def load_or_create(path: Path) -> tuple[_keys.Ed25519PrivateKey, bool]:
    """The key at ``path``, creating a fresh one if the file does not exist (race-safe)."""
    if not path.exists():
        key = _keys.generate_private_key()
        try:
            write_private_key(path, key)
            return key, True
        except AccordError:
            pass  # another process created it first
    return read_private_key(path), False
