#!/usr/bin/env python3
"""Precision benchmark: scan the benchmark repositories and score findings against judgments.

Usage:
    python bench/precision/run.py [--repos-dir bench/precision/repos] [--cmd "python -m scalescope"]
                                  [--set tuning] [--min-confidence medium]
                                  [--unjudged unjudged.json] [--json results.json]

For each repository in repos.json whose tree is extracted under REPOS_DIR/<owner>+<name>
(default: bench/precision/repos, which git ignores), runs
`<cmd> scan <tree> --format json -o <tmp> --min-confidence low --no-progress`, keeps findings at
--min-confidence and up, matches them to judgments/<owner>+<name>.json (see matching.py), and
prints per repository and per rule TP / FP / unsure / unjudged and precision = TP / (TP + FP).
Unjudged findings are written to --unjudged for the next review. A repository whose tree is
missing is listed and skipped (no network is used). Nothing is asserted: this is a measurement,
recorded in docs/real-world-trials.md.

The command is split like a shell would split it; to judge an older tree, point PYTHONPATH at its
src/ and, for trees without `python -m scalescope`, use
--cmd "python -c 'from scalescope.cli import main; main()'".
"""

from __future__ import annotations

import argparse
import json
import shlex
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from matching import (
    Finding,
    RepoResult,
    Tally,
    findings_from_report,
    format_precision,
    load_judgments,
    match,
)

HERE = Path(__file__).resolve().parent


def scan(cmd: list[str], tree: Path) -> tuple[dict[str, Any], float]:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "report.json"
        args = [*cmd, "scan", str(tree), "--format", "json", "-o", str(out), "--min-confidence", "low"]
        start = time.perf_counter()
        proc = subprocess.run(args, capture_output=True, text=True, check=False)
        elapsed = time.perf_counter() - start
        if proc.returncode not in (0, 1) or not out.exists():
            raise RuntimeError(f"scan of {tree} failed ({proc.returncode}): {proc.stderr.strip()[-500:]}")
        report: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
        return report, elapsed


def row(name: str, t: Tally) -> str:
    total = t.tp + t.fp + t.unsure + t.unjudged
    return (
        f"| {name} | {total} | {t.tp} | {t.fp} | {t.unsure} | {t.unjudged} | {t.duplicates} "
        f"| {format_precision(t.precision)} |"
    )


HEADER = (
    "| {} | findings | TP | FP | unsure | unjudged | dup | precision |\n| --- | --- | --- | --- | --- | --- "
    "| --- | --- |"
)


def unjudged_record(repo: str, f: Finding) -> dict[str, Any]:
    return {
        "repo": repo,
        "rule": f.rule,
        "file": f.file,
        "line": f.line,
        "confidence": f.confidence,
        "message": f.message,
        "excerpt": f.excerpt,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repos-dir", type=Path, default=Path(__file__).parent / "repos")
    ap.add_argument("--cmd", default=f"{sys.executable} -m scalescope", help="scalescope command prefix")
    ap.add_argument("--bench-dir", type=Path, default=HERE, help="folder with repos.json and judgments/")
    ap.add_argument("--set", dest="sets", action="append", help="only repos of this set (repeatable)")
    ap.add_argument("--min-confidence", default="medium", choices=["low", "medium", "high"])
    ap.add_argument("--unjudged", type=Path, default=Path("unjudged.json"))
    ap.add_argument("--json", type=Path, help="also write the per-repo and per-rule tallies here")
    args = ap.parse_args(argv)

    cmd = shlex.split(args.cmd)
    repos = json.loads((args.bench_dir / "repos.json").read_text(encoding="utf-8"))["repos"]
    results: list[RepoResult] = []
    missing: list[str] = []
    times: dict[str, float] = {}
    for entry in repos:
        if args.sets and entry.get("set") not in args.sets:
            continue
        name: str = entry["repo"]
        slug = name.replace("/", "+")
        tree = args.repos_dir / slug
        if not tree.is_dir():
            missing.append(name)
            continue
        report, times[name] = scan(cmd, tree)
        judgments_path = args.bench_dir / "judgments" / f"{slug}.json"
        judgments = load_judgments(judgments_path) if judgments_path.exists() else []
        results.append(match(name, findings_from_report(report, args.min_confidence), judgments))

    print(f"Findings at {args.min_confidence}+ confidence, matched to judgments.\n")
    print(HEADER.format("repo"))
    overall = Tally()
    per_rule: dict[str, Tally] = {}
    for r in results:
        t = r.tally()
        overall.merge(t)
        print(row(r.repo, t))
        for rule, rt in r.by_rule().items():
            per_rule.setdefault(rule, Tally()).merge(rt)
    print(row("**all**", overall))
    print()
    print(HEADER.format("rule"))
    for rule, rt in sorted(per_rule.items()):
        print(row(rule, rt))
    print()
    print("scan time (s): " + ", ".join(f"{k} {v:.1f}" for k, v in times.items()))
    if missing:
        print("not extracted (skipped): " + ", ".join(missing))

    unjudged = [unjudged_record(r.repo, f) for r in results for f in r.unjudged]
    args.unjudged.write_text(json.dumps(unjudged, indent=1) + "\n", encoding="utf-8")
    print(f"{len(unjudged)} unjudged finding(s) written to {args.unjudged}")
    if args.json:
        payload = {
            "min_confidence": args.min_confidence,
            "repos": {r.repo: vars(r.tally()) for r in results},
            "rules": {k: vars(v) for k, v in sorted(per_rule.items())},
            "overall": vars(overall),
            "precision": overall.precision,
            "missing": missing,
        }
        args.json.write_text(json.dumps(payload, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
