"""Private keys on disk: the ledger's log key and monitors' keys (PEM, mode 0600).

The log key signs tree heads. It is kept **apart from the database**: whoever
can write the database file should not also hold the key that re-signs a
rewritten history. Where it is looked for: ``--log-key PATH``, else
``$ACCORD_LOG_KEY``, else a file named for the database in the key folder —
``$ACCORD_KEY_DIR``, else ``$XDG_CONFIG_HOME/accord/keys``, else
``~/.config/accord/keys`` (``accord-1f2e3d4c5b6a.log-key.pem`` for
``sqlite:///accord.db``: the database's name and 12 hex characters of SHA-256
over its absolute path or URL). A key left by an older accord beside a SQLite
file (``accord.log-key.pem`` next to ``accord.db``) is still used, with a
warning to move it.

>>> import os, tempfile
>>> os.environ["ACCORD_KEY_DIR"] = tempfile.mkdtemp()
>>> p = default_log_key_path("sqlite:////srv/desk/accord.db")
>>> p.parent == Path(os.environ["ACCORD_KEY_DIR"]), p.name
(True, 'accord-a0cc02bf7372.log-key.pem')
>>> beside_database(Path("/srv/desk/accord.log-key.pem"), "sqlite:////srv/desk/accord.db")
True
>>> del os.environ["ACCORD_KEY_DIR"]
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from accord.errors import AccordError
from accord.monitor import keys as _keys
from accord.store.url import normalize_url, redact, sqlite_path

ENV_LOG_KEY = "ACCORD_LOG_KEY"
ENV_KEY_DIR = "ACCORD_KEY_DIR"
LOG_KEY_NAME = "accord.log-key.pem"


def key_dir() -> Path:
    """The folder for log keys: ``$ACCORD_KEY_DIR``, ``$XDG_CONFIG_HOME/accord/keys`` or ``~/.config/accord/keys``."""
    if os.environ.get(ENV_KEY_DIR):
        return Path(os.environ[ENV_KEY_DIR]).expanduser()
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path("~/.config").expanduser())
    return Path(base) / "accord" / "keys"


def _db_file(url: str) -> Path | None:
    db = sqlite_path(url)
    return Path(db).expanduser().absolute() if db else None


def default_log_key_path(url: str) -> Path:
    """Where the log key of the database at ``url`` is kept by default (outside the database's folder)."""
    env = os.environ.get(ENV_LOG_KEY)
    if env:
        return Path(env)
    db = _db_file(url)
    name = db.stem if db else "accord"
    ident = str(db) if db else redact(normalize_url(url))
    return key_dir() / f"{name}-{hashlib.sha256(ident.encode()).hexdigest()[:12]}.log-key.pem"


def legacy_log_key_path(url: str) -> Path:
    """Where accord kept the log key before it moved out: beside a SQLite file, else the working directory."""
    db = _db_file(url)
    return db.with_name(db.stem + ".log-key.pem") if db else Path(LOG_KEY_NAME)


def beside_database(key: Path, url: str) -> bool:
    """Whether the key file lies in the folder of the SQLite database (whoever writes one likely writes both)."""
    db = _db_file(url)
    if db is None:
        return False
    return key.expanduser().absolute().parent.resolve() == db.parent.resolve()


def log_key_path(url: str, given: Path | None = None) -> tuple[Path, str | None]:
    """The log key file to use for ``url``, and a warning when it sits beside the database."""
    path = given or default_log_key_path(url)
    if given is None and not path.exists() and legacy_log_key_path(url).exists():
        path = legacy_log_key_path(url)
    return path, beside_warning(path, url) if beside_database(path, url) else None


def beside_warning(path: Path, url: str) -> str:
    return (f"the log key {path} sits beside the database: whoever can write the database can likely replace "
            f"the key too and re-sign a rewritten history; move it to {default_log_key_path(url)} (or give "
            "--log-key / $ACCORD_LOG_KEY elsewhere) and verify against a published tree head "
            "(`accord ledger verify --against head.json`)")


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
