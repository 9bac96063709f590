"""The labelled sets: every claim true, most of what a reader expects found, no filler.

Labels are hand-made (tests/data/labels, see tests/fakes/labels.py). The shared
corpus is always here; the ecosystem set is public repositories' metadata kept beside
the project (../shared/corpus-ecosystems, or $REPOFOLIO_ECOSYSTEM_CORPUS) and is
skipped where this machine lacks it. bench/eval_stack.py prints the same figures
per ecosystem, through the real client.
"""

from __future__ import annotations

import pytest

from core.analysis.heuristic import HeuristicAnalyzer
from core.analysis.techstack import detect_stack
from core.github.manifests import manifest_paths
from tests.fakes import corpus
from tests.fakes.labels import filler_highlights, load_labels, score

MIN_RECALL = 0.9


def imported(folder, root):
    """The snapshot an import builds: only the manifests the client chooses to fetch."""
    snap = corpus.snapshot(folder, root)
    snap.manifests = {p: snap.manifests[p] for p in manifest_paths(snap.tree) if p in snap.manifests}
    return snap
SETS = [("shared", corpus.CORPUS_DIR, corpus.LABELS_DIR / "corpus.json"),
        ("ecosystems", corpus.ecosystem_corpus_dir(), corpus.LABELS_DIR / "ecosystems.json")]


def _cases():
    for name, root, labels in SETS:
        for folder, label in load_labels(labels).items():
            marks = [] if root is not None else [pytest.mark.skip(reason="no ecosystem corpus here")]
            yield pytest.param(root, label, id=f"{name}-{folder}", marks=marks)


CASES = list(_cases())


def test_every_shared_corpus_repository_is_labelled():
    assert sorted(load_labels(corpus.LABELS_DIR / "corpus.json")) == corpus.names()


@pytest.mark.parametrize("root, label", CASES)
def test_no_wrong_claims_and_no_filler(root, label):
    snap = imported(label.folder, root)
    stack = detect_stack(snap)
    result = score(label, stack.names())
    assert result.wrong == [], f"claimed without the files saying so: {result.wrong}"
    analysis = HeuristicAnalyzer().analyze(snap, stack)
    assert filler_highlights(analysis.highlights) == []


@pytest.mark.parametrize("name, root, labels", [pytest.param(*s, id=s[0]) for s in SETS])
def test_recall_of_expected_technologies(name, root, labels):
    if root is None:
        pytest.skip("no ecosystem corpus here")
    found = expected = 0
    for folder, label in load_labels(labels).items():
        result = score(label, detect_stack(imported(folder, root)).names())
        found, expected = found + result.found, expected + result.expected
    assert found / expected >= MIN_RECALL, f"{found} / {expected}"
