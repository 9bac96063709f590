"""Recall and wrong claims of the detected tech stack, per ecosystem, on labelled corpora.

    python bench/eval_stack.py [--markdown] [--verbose] [--corpus DIR LABELS ...]

By default it scores the 15 repositories of ``tests/data/corpus`` against
``tests/data/labels/corpus.json`` and, when this machine has it, the ecosystem set
(``../shared/corpus-ecosystems`` or ``$REPOFOLIO_ECOSYSTEM_CORPUS``) against
``tests/data/labels/ecosystems.json``. Every repository is imported through the real
GitHub client from the fake GitHub server (loopback), then analysed offline, exactly
as an import without an AI key does. It prints, per ecosystem: repositories, expected
technologies found / expected (recall), wrong claims (names the labels do not hold)
and filler highlights (stars, license, languages).
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from pathlib import Path

from _support import fake_github  # noqa: F401  (puts the project on sys.path)

from core.analysis.factory import analyze
from core.analysis.heuristic import HeuristicAnalyzer
from core.github.client import GitHubClient
from tests.fakes import corpus
from tests.fakes.labels import filler_highlights, load_labels, score


def _default_sets() -> list[tuple[str, Path, Path]]:
    sets = [("shared corpus", corpus.CORPUS_DIR, corpus.LABELS_DIR / "corpus.json")]
    if (extra := corpus.ecosystem_corpus_dir()) is not None:
        sets.append(("ecosystem set", extra, corpus.LABELS_DIR / "ecosystems.json"))
    return sets


def evaluate(name: str, root: Path, labels_path: Path, verbose: bool) -> list[dict]:
    labels = load_labels(labels_path)
    rows = []
    with fake_github() as fake, GitHubClient(fake.url) as client:
        for folder in sorted(labels):
            repo = corpus.load(folder, root)
            fake.add_corpus(repo)
            owner, repo_name = repo.full_name.split("/", 1)
            analysis = analyze(client.fetch_repository(owner, repo_name), HeuristicAnalyzer())
            stack = analysis.tech_stack
            result = score(labels[folder], stack.names())
            filler = filler_highlights(analysis.highlights)
            rows.append({"set": name, "folder": folder, "ecosystem": labels[folder].ecosystem,
                         "score": result, "filler": filler, "category": analysis.category})
            if verbose:
                print(f"{folder} [{analysis.category}]\n  languages  {stack.languages}\n"
                      f"  frameworks {stack.frameworks}\n  tools      {stack.tools}\n"
                      f"  highlights {analysis.highlights}")
            if result.missed or result.wrong or filler:
                print(f"  {folder}: missed {result.missed} wrong {result.wrong}"
                      + (f" filler {filler}" if filler else ""), file=sys.stderr)
    return rows


def table(rows: list[dict], markdown: bool) -> str:
    groups: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for row in rows:
        groups[(row["set"], row["ecosystem"])].append(row)
    for row in rows:
        groups[(row["set"], "all")].append(row)
    header = ["set", "ecosystem", "repos", "found / expected", "recall", "wrong claims",
              "filler highlights"]
    lines = []
    for (set_name, ecosystem), items in sorted(groups.items(), key=lambda kv: (kv[0][0], kv[0][1] == "all", kv[0][1])):
        found = sum(r["score"].found for r in items)
        expected = sum(r["score"].expected for r in items)
        wrong = sum(len(r["score"].wrong) for r in items)
        filler = sum(len(r["filler"]) for r in items)
        recall = f"{found / expected:.2f}" if expected else "-"
        label = f"**{ecosystem}**" if ecosystem == "all" and markdown else ecosystem
        lines.append([set_name, label, str(len(items)), f"{found} / {expected}", recall,
                      str(wrong), str(filler)])
    if markdown:
        out = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
        out += ["| " + " | ".join(line) + " |" for line in lines]
        return "\n".join(out)
    widths = [max(len(x) for x in col) for col in zip(header, *lines)]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(line, widths)) for line in [header, *lines])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--markdown", action="store_true", help="print the table as Markdown")
    parser.add_argument("--verbose", action="store_true", help="print every detected stack")
    parser.add_argument("--corpus", nargs=2, action="append", metavar=("DIR", "LABELS"),
                        help="a corpus folder and its labels file (repeatable)")
    args = parser.parse_args(argv)
    sets = ([(Path(d).name, Path(d), Path(lab)) for d, lab in args.corpus] if args.corpus
            else _default_sets())
    rows = [row for name, root, labels in sets for row in evaluate(name, root, labels, args.verbose)]
    print(table(rows, args.markdown))
    return 0


if __name__ == "__main__":
    sys.exit(main())
