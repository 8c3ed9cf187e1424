#!/usr/bin/env python3
"""Compares a disturbed run's export with the undisturbed reference run's (same config and seed).

Usage: compare.py REFERENCE_DIR REFERENCE_RUN_ID DISTURBED_DIR DISTURBED_RUN_ID

Both folders hold `quarry run export` output (dataset.jsonl, candidates.jsonl). Rows are matched
by key with the run id taken out (keys and refs carry it); each matched row must be the same JSON,
again with the run id taken out. Prints a line per problem found and, last, one JSON line:
{"identical": bool, "lost": n, "duplicated": n, "changed": n, "extra": n, "sandboxErrors": n, ...}.
Exits 0 when identical, 1 otherwise.
"""
import json
import sys
from collections import Counter

FILES = ("dataset.jsonl", "candidates.jsonl")
RUN = "<RUN>"


def rows(path, run_id):
    """The file's rows as (key, normalised row), in file order, run id replaced by <RUN>."""
    out = []
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            if not line.strip():
                continue
            row = json.loads(line.replace(run_id, RUN))
            if "key" not in row:
                raise ValueError(f"{path}:{number}: a row without a key")
            out.append((row["key"], row))
    return out


def sandbox_errors(value):
    """How many SANDBOX_ERROR verdicts a row holds anywhere, as a value or as a key of a count
    (verdictCounts): an infrastructure failure scored as a solution's verdict."""
    if isinstance(value, dict):
        counted = value.get("SANDBOX_ERROR", 0)
        as_key = counted if isinstance(counted, int) and counted > 0 else (1 if "SANDBOX_ERROR" in value else 0)
        return as_key + sum(sandbox_errors(v) for v in value.values())
    if isinstance(value, list):
        return sum(sandbox_errors(v) for v in value)
    return 1 if value == "SANDBOX_ERROR" else 0


def first_difference(a, b, where=""):
    """The path of the first field where two JSON values differ, for the report."""
    if isinstance(a, dict) and isinstance(b, dict):
        for k in sorted(set(a) | set(b)):
            if a.get(k) != b.get(k):
                return first_difference(a.get(k), b.get(k), f"{where}.{k}")
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        for i, (x, y) in enumerate(zip(a, b)):
            if x != y:
                return first_difference(x, y, f"{where}[{i}]")
    return where or "."


def compare(reference, disturbed):
    """reference, disturbed: {file name: [(key, row)]}. Returns (summary dict, problem lines)."""
    summary = {"identical": True, "lost": 0, "duplicated": 0, "changed": 0, "extra": 0, "sandboxErrors": 0}
    problems = []
    for name in FILES:
        ref_rows, dist_rows = reference[name], disturbed[name]
        ref_counts = Counter(k for k, _ in ref_rows)
        dist_counts = Counter(k for k, _ in dist_rows)
        for key, n in ref_counts.items():
            if n > 1:
                problems.append(f"{name}: reference holds key {key} {n} times")
        dup = sum(n - 1 for n in dist_counts.values() if n > 1)
        lost = [k for k in ref_counts if k not in dist_counts]
        extra = [k for k in dist_counts if k not in ref_counts]
        ref_by_key = dict(ref_rows)
        changed = []
        for key, row in dist_rows:
            if key in ref_by_key and row != ref_by_key[key] and key not in changed:
                changed.append(key)
        errors = sum(sandbox_errors(row) for _, row in dist_rows + ref_rows)
        for key in lost:
            problems.append(f"{name}: lost {key}")
        for key, n in dist_counts.items():
            if n > 1:
                problems.append(f"{name}: duplicated {key} ({n} rows)")
        for key in extra:
            problems.append(f"{name}: extra {key}")
        for key in changed:
            row = next(r for k, r in dist_rows if k == key and r != ref_by_key[key])
            problems.append(f"{name}: {key} differs at {first_difference(ref_by_key[key], row)}")
        if errors:
            problems.append(f"{name}: {errors} SANDBOX_ERROR verdicts")
        summary["lost"] += len(lost)
        summary["duplicated"] += dup
        summary["extra"] += len(extra)
        summary["changed"] += len(changed)
        summary["sandboxErrors"] += errors
        summary[name.split(".")[0] + "Rows"] = len(dist_rows)
    summary["identical"] = not problems
    return summary, problems


def main(argv):
    if len(argv) != 5:
        print(__doc__, file=sys.stderr)
        return 2
    ref_dir, ref_run, dist_dir, dist_run = argv[1:]
    reference = {name: rows(f"{ref_dir}/{name}", ref_run) for name in FILES}
    disturbed = {name: rows(f"{dist_dir}/{name}", dist_run) for name in FILES}
    summary, problems = compare(reference, disturbed)
    for line in problems:
        print(line)
    print(json.dumps(summary))
    return 0 if summary["identical"] else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
