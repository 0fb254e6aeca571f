"""Check the real-news corpus, write its sources table and (once) its split.

Usage (from the repository root)::

    python corpus/realnews/corpus.py check          # front matter, dates, lengths, quotes, annotations, gold
    python corpus/realnews/corpus.py sources        # rewrite sources.csv from the digests' front matter
    python corpus/realnews/corpus.py split          # write split.json (refuses if it exists)
    python corpus/realnews/corpus.py stats          # counts by topic, kind, outlet, split

``annotations/single-*.jsonl`` hold training-only articles annotated in one pass: ``check``
reads them like the passes and gold, and refuses a document of theirs that split.json lists
or that a pass, gold or another single-* file also annotates (one source of gold per document).

Development material, not package code: it only reads and writes files here.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import random
import re
import sys
from collections import Counter, defaultdict
from functools import cache
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
DIGESTS = HERE / "digests"
PASSES = sorted((HERE / "annotations").glob("pass*.jsonl"))
# gold.jsonl (the adjudicated merge) is checked like the passes, once it exists
GOLD = sorted((HERE / "annotations").glob("gold.jsonl"))
# single-*.jsonl: training-only articles annotated in one pass (one annotator each); never in split.json
SINGLES = sorted((HERE / "annotations").glob("single-*.jsonl"))
ANNOTATIONS = [*PASSES, *GOLD, *SINGLES]
ADJUDICATION = HERE / "annotations" / "adjudication.jsonl"
ROOT = HERE.parent.parent
CASES = ROOT / "src" / "accord" / "cases"

FIELDS = ["id", "url", "outlet", "source", "date", "title", "topic", "kind"]
TOPICS = {"ukraine": "ukraine_2025", "gaza": "gaza_2025"}
KINDS = {"news", "wire", "analysis", "transcript"}
STANCES = {"support", "conditional", "oppose"}
BASES = {"stated", "reported", "assessed"}
# The independent evaluation covers these weeks: no article published in them.
BLACKOUT = (dt.date(2025, 11, 20), dt.date(2025, 12, 31))
EARLIEST = {"ukraine": dt.date(2025, 1, 1), "gaza": dt.date(2025, 9, 29)}
WORDS = (150, 450)
MAX_QUOTE_WORDS = 25
SEED = 20250218  # the split's seed: the day of the first Riyadh meeting
SHARES = {"train": 0.5, "dev": 0.2, "test": 0.3}

_FRONT = re.compile(r"\A---\n(.*?)\n---\n(.*)\Z", re.S)
_QUOTE = re.compile(r"“([^”]*)”|\"([^\"]*)\"")


def digests() -> list[tuple[Path, dict, str]]:
    """Every digest as (path, front matter, body)."""
    out = []
    for path in sorted(DIGESTS.glob("*.md")):
        text = path.read_text(encoding="utf-8")
        m = _FRONT.match(text)
        if not m:
            raise SystemExit(f"{path.name}: no front matter (--- … --- at the top)")
        out.append((path, yaml.safe_load(m.group(1)), m.group(2)))
    return out


@cache
def vocabulary(topic: str) -> tuple[set[str], set[str]] | None:
    """(actor ids, issue ids + 'plan') of the topic's case, or None if the case is not there yet."""
    folder = CASES / TOPICS[topic]
    if not (folder / "issues.yaml").is_file() or not (folder / "actors.yaml").is_file():
        return None
    actors = {a["id"] for a in yaml.safe_load((folder / "actors.yaml").read_text(encoding="utf-8"))}
    issues = {i["id"] for i in yaml.safe_load((folder / "issues.yaml").read_text(encoding="utf-8"))}
    return actors, issues | {"plan"}


def check() -> list[str]:
    errors: list[str] = []
    docs: dict[str, tuple[dict, str]] = {}
    urls: dict[str, str] = {}
    for path, fm, body in digests():
        name = path.name
        missing = [f for f in FIELDS if f not in fm]
        if missing:
            errors.append(f"{name}: front matter lacks {', '.join(missing)}")
            continue
        if fm["id"] != path.stem:
            errors.append(f"{name}: id {fm['id']!r} is not the file stem")
        if not re.fullmatch(r"\d{3}_[a-z0-9-]+", path.stem):
            errors.append(f"{name}: name is not NNN_slug")
        if fm["source"] != fm["outlet"]:
            errors.append(f"{name}: source must repeat outlet (accord's reader takes 'source')")
        if fm["topic"] not in TOPICS:
            errors.append(f"{name}: topic {fm['topic']!r} not one of {sorted(TOPICS)}")
        if fm["kind"] not in KINDS:
            errors.append(f"{name}: kind {fm['kind']!r} not one of {sorted(KINDS)}")
        date = fm["date"]
        if not isinstance(date, dt.date):
            errors.append(f"{name}: date {date!r} is not YYYY-MM-DD")
        else:
            if BLACKOUT[0] <= date <= BLACKOUT[1]:
                errors.append(f"{name}: published {date}, inside the evaluation's weeks {BLACKOUT[0]}–{BLACKOUT[1]}")
            if date < EARLIEST.get(fm["topic"], date) or date > dt.date.today():
                errors.append(f"{name}: date {date} outside the topic's range")
        if not str(fm["url"]).startswith(("https://", "http://")):
            errors.append(f"{name}: url is not http(s)")
        if fm["url"] in urls:
            errors.append(f"{name}: same url as {urls[fm['url']]}")
        urls[fm["url"]] = name
        n = len(body.split())
        if not WORDS[0] <= n <= WORDS[1]:
            errors.append(f"{name}: body has {n} words (want {WORDS[0]}–{WORDS[1]})")
        for q in _QUOTE.finditer(body):
            words = len((q.group(1) or q.group(2) or "").split())
            if words > MAX_QUOTE_WORDS:
                errors.append(f"{name}: quote of {words} words (≤ {MAX_QUOTE_WORDS}): {q.group(0)[:60]}…")
        docs[path.stem] = (fm, body)
    stance_of: dict[str, dict[tuple[str, str, str], str]] = {}
    for p in ANNOTATIONS:
        seen: set[tuple[str, str, str]] = set()
        stance_of[p.stem] = {}
        for ln, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            where = f"{p.name}:{ln}"
            try:
                row = json.loads(line)
            except json.JSONDecodeError as e:
                errors.append(f"{where}: not JSON ({e.msg})")
                continue
            if set(row) != {"doc", "holder", "issue", "stance", "basis", "evidence"}:
                errors.append(f"{where}: fields must be doc, holder, issue, stance, basis, evidence")
                continue
            if row["doc"] not in docs:
                errors.append(f"{where}: no digest {row['doc']!r}")
                continue
            fm, body = docs[row["doc"]]
            vocab = vocabulary(fm["topic"])
            if vocab is not None:
                actors, issues = vocab
                if row["holder"] not in actors:
                    errors.append(f"{where}: holder {row['holder']!r} is no actor of {TOPICS[fm['topic']]}")
                if row["issue"] not in issues:
                    errors.append(f"{where}: issue {row['issue']!r} is no issue of {TOPICS[fm['topic']]}")
            if row["stance"] not in STANCES:
                errors.append(f"{where}: stance {row['stance']!r} not one of {sorted(STANCES)}")
            if row["basis"] not in BASES:
                errors.append(f"{where}: basis {row['basis']!r} not one of {sorted(BASES)}")
            if row["evidence"] not in body:
                errors.append(f"{where}: evidence is not text of {row['doc']}: {row['evidence'][:60]}…")
            key = (row["doc"], row["holder"], row["issue"])
            if key in seen:
                errors.append(f"{where}: second row for {key}")
            seen.add(key)
            stance_of[p.stem][key] = row["stance"]
    if ADJUDICATION.is_file():
        errors += check_adjudication(stance_of)
    split = HERE / "split.json"
    listed: list[str] = []
    if split.is_file():
        parts = json.loads(split.read_text(encoding="utf-8"))
        listed = [d for ids in parts.values() for d in ids]
        if len(listed) != len(set(listed)):
            errors.append("split.json: a document is in two parts")
        for d in set(listed) - set(docs):
            errors.append(f"split.json: {d} has no digest")
    errors += check_singles(stance_of, set(listed))
    return errors


def check_singles(stance_of: dict[str, dict[tuple[str, str, str], str]], listed: set[str]) -> list[str]:
    """A document of a single-*.jsonl file trains only: in no part of split.json, and annotated
    nowhere else (not in a pass, gold or another single-* file), so it has one source of gold."""
    errors: list[str] = []
    owner: dict[str, str] = {}
    for name, rows in stance_of.items():
        for doc in sorted({key[0] for key in rows}):
            if not name.startswith("single-"):
                owner.setdefault(doc, name)
    for p in SINGLES:
        for doc in sorted({key[0] for key in stance_of[p.stem]}):
            if doc in listed:
                errors.append(f"{p.name}: {doc} is in split.json; one-pass articles train only (in no part)")
            if doc in owner:
                errors.append(
                    f"{p.name}: {doc} is also annotated in {owner[doc]}.jsonl (one source of gold per document)"
                )
            owner[doc] = p.stem
    return errors


def check_adjudication(stance_of: dict[str, dict[tuple[str, str, str], str]]) -> list[str]:
    """Each adjudication row names a real disagreement of the passes, and its verdict is what gold.jsonl holds."""
    errors: list[str] = []
    fields = {"doc", "holder", "issue", "pass1", "pass2", "gold", "why"}
    for ln, line in enumerate(ADJUDICATION.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        where = f"{ADJUDICATION.name}:{ln}"
        try:
            row = json.loads(line)
        except json.JSONDecodeError as e:
            errors.append(f"{where}: not JSON ({e.msg})")
            continue
        if set(row) != fields:
            errors.append(f"{where}: fields must be {', '.join(sorted(fields))}")
            continue
        key = (row["doc"], row["holder"], row["issue"])
        for name in ("pass1", "pass2", "gold"):
            if row[name] != stance_of.get(name, {}).get(key):
                errors.append(f"{where}: {name} {row[name]!r} is not what {name}.jsonl holds for {key}")
        if row["pass1"] == row["pass2"]:
            errors.append(f"{where}: the passes agree on {key}; no disagreement to record")
        if not str(row["why"]).strip():
            errors.append(f"{where}: why is empty")
    return errors


def sources() -> None:
    with open(HERE / "sources.csv", "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["id", "topic", "kind", "outlet", "date", "url"])
        for _, fm, _ in digests():
            w.writerow([fm["id"], fm["topic"], fm["kind"], fm["outlet"], fm["date"], fm["url"]])


def split() -> dict[str, list[str]]:
    """Stratified by topic and outlet: within each topic, articles are ordered outlet by outlet
    (outlets shuffled, articles of an outlet shuffled, seed SEED) and dealt round-robin over a
    repeating 10-slot pattern of 5 train, 2 dev, 3 test slots, so every part gets its share of
    each topic and the outlets spread over the parts."""
    rng = random.Random(SEED)
    pattern = ["train", "test", "dev", "train", "test", "train", "dev", "train", "test", "train"]
    parts: dict[str, list[str]] = {"train": [], "dev": [], "test": []}
    by_topic: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for _, fm, _ in digests():
        by_topic[fm["topic"]][fm["outlet"]].append(fm["id"])
    for topic in sorted(by_topic):
        outlets = sorted(by_topic[topic])
        rng.shuffle(outlets)
        order = []
        for o in outlets:
            ids = sorted(by_topic[topic][o])
            rng.shuffle(ids)
            order.extend(ids)
        for i, d in enumerate(order):
            parts[pattern[i % len(pattern)]].append(d)
    return {k: sorted(v) for k, v in parts.items()}


def stats() -> None:
    ds = digests()
    parts = json.loads((HERE / "split.json").read_text()) if (HERE / "split.json").is_file() else {}
    where = {d: k for k, ids in parts.items() for d in ids}
    print(f"{len(ds)} digests, {len({fm['outlet'] for _, fm, _ in ds})} outlets")
    for key in ("topic", "kind"):
        print(key, dict(sorted(Counter(fm[key] for _, fm, _ in ds).items())))
    print("topic × split", dict(sorted(Counter((fm["topic"], where.get(fm["id"], "-")) for _, fm, _ in ds).items())))
    print("outlets", dict(Counter(fm["outlet"] for _, fm, _ in ds).most_common()))
    words = [len(b.split()) for _, _, b in ds]
    if words:
        print(f"words per digest: min {min(words)}, median {sorted(words)[len(words) // 2]}, max {max(words)}")
    for p in ANNOTATIONS:
        rows = [json.loads(x) for x in p.read_text().splitlines() if x.strip()]
        stances, bases = Counter(r["stance"] for r in rows), Counter(r["basis"] for r in rows)
        print(p.name, len(rows), "rows;", dict(stances), dict(bases))
    single_docs = {json.loads(x)["doc"] for p in SINGLES for x in p.read_text().splitlines() if x.strip()}
    if SINGLES:
        ones = [fm for _, fm, _ in ds if fm["id"] in single_docs]
        print(f"train-only, one pass: {len(ones)} digests, {len({fm['outlet'] for fm in ones})} outlets")
        for key in ("topic", "kind"):
            print(" ", key, dict(sorted(Counter(fm[key] for fm in ones).items())))
        print("  month", dict(sorted(Counter(str(fm["date"])[:7] for fm in ones).items())))
        for p in SINGLES:
            rows = [json.loads(x) for x in p.read_text().splitlines() if x.strip()]
            stances, bases = Counter(r["stance"] for r in rows), Counter(r["basis"] for r in rows)
            per = len(rows) / max(1, len({r["doc"] for r in rows}))
            print(f"  {p.name}", len(rows), f"rows ({per:.1f} per doc);", dict(stances), dict(bases))
    unannotated = sorted(fm["id"] for _, fm, _ in ds if fm["id"] not in where and fm["id"] not in single_docs)
    if unannotated:
        print("in neither split.json nor a single-* file:", ", ".join(unannotated))


if __name__ == "__main__":
    cmd = sys.argv[1] if len(sys.argv) > 1 else "check"
    if cmd == "check":
        errs = check()
        print("\n".join(errs) or "ok")
        sys.exit(1 if errs else 0)
    elif cmd == "sources":
        sources()
    elif cmd == "split":
        target = HERE / "split.json"
        if target.exists():
            raise SystemExit("split.json exists: the split is made once and never changed")
        target.write_text(json.dumps(split(), indent=1) + "\n", encoding="utf-8")
    elif cmd == "stats":
        stats()
    else:
        raise SystemExit(__doc__)
