#!/usr/bin/env python3
"""Validate Quarry's seed problem set (seeds/quarry-seeds.jsonl).

Checks, for every line of the file:
  * it is a JSON object with exactly the fields of dev.quarry.core.seeds.SeedProblem,
    each of the right type (id, title, statement, solution, language: non-empty strings;
    concepts: 2-4 distinct lower-case strings; difficulty: int 1..5;
    tests: 4-6 objects {"input": str, "output": str});
  * ids are unique and language is "python";
and over the whole set that every concept is used by at least 2 problems.

Then it runs every reference solution on every test with `python3` (timeout 5 s per run)
and compares the output with the expected one after whitespace normalisation (the same rule
as the sandbox's WHITESPACE comparison: split on whitespace, compare the token lists).

Prints one line per failure naming the problem id and the 0-based test index, then a summary
"seeds: N problems, M tests, all passed" (or the number of failures), and exits 1 on any failure.

Usage: python3 scripts/check_seeds.py [path/to/quarry-seeds.jsonl] [--jobs N]
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

FIELDS = {
    "id": str,
    "title": str,
    "statement": str,
    "concepts": list,
    "difficulty": int,
    "tests": list,
    "solution": str,
    "language": str,
}
TIMEOUT_S = 5.0
SLOW_S = 1.0
MIN_CONCEPT_USES = 2
CONCEPTS_PER_PROBLEM = (2, 4)
TESTS_PER_PROBLEM = (4, 6)


def default_path():
    here = os.path.dirname(os.path.abspath(__file__))
    return os.path.join(os.path.dirname(here), "seeds", "quarry-seeds.jsonl")


def validate_record(rec, where):
    """Returns a list of error strings for one parsed line."""
    errors = []
    if not isinstance(rec, dict):
        return [f"{where}: not a JSON object"]
    for name, typ in FIELDS.items():
        if name not in rec:
            errors.append(f"{where}: missing field '{name}'")
            continue
        value = rec[name]
        # bool is a subclass of int in Python; a difficulty of true is still wrong
        if not isinstance(value, typ) or (typ is int and isinstance(value, bool)):
            errors.append(f"{where}: field '{name}' must be {typ.__name__}, got {type(value).__name__}")
        elif typ is str and name != "statement" and not value.strip():
            errors.append(f"{where}: field '{name}' is empty")
    for name in rec:
        if name not in FIELDS:
            errors.append(f"{where}: unexpected field '{name}'")
    if errors:
        return errors
    if not rec["statement"].strip():
        errors.append(f"{where}: field 'statement' is empty")
    if not 1 <= rec["difficulty"] <= 5:
        errors.append(f"{where}: difficulty {rec['difficulty']} is outside 1..5")
    if rec["language"] != "python":
        errors.append(f"{where}: language must be 'python', got '{rec['language']}'")
    concepts = rec["concepts"]
    lo, hi = CONCEPTS_PER_PROBLEM
    if not lo <= len(concepts) <= hi:
        errors.append(f"{where}: has {len(concepts)} concepts, expected {lo}..{hi}")
    for c in concepts:
        if not isinstance(c, str) or not c.strip():
            errors.append(f"{where}: concept {c!r} is not a non-empty string")
        elif c != c.strip().lower():
            errors.append(f"{where}: concept '{c}' must be lower case without surrounding spaces")
    if len(set(map(str, concepts))) != len(concepts):
        errors.append(f"{where}: repeated concept")
    tests = rec["tests"]
    lo, hi = TESTS_PER_PROBLEM
    if not lo <= len(tests) <= hi:
        errors.append(f"{where}: has {len(tests)} tests, expected {lo}..{hi}")
    for i, t in enumerate(tests):
        if not isinstance(t, dict) or set(t) != {"input", "output"}:
            errors.append(f"{where} test {i}: must be an object with exactly 'input' and 'output'")
        elif not isinstance(t["input"], str) or not isinstance(t["output"], str):
            errors.append(f"{where} test {i}: 'input' and 'output' must be strings")
    return errors


def run_test(python, pid, index, solution, test):
    """Runs one test; returns (pid, index, error or None, seconds)."""
    start = time.monotonic()
    try:
        proc = subprocess.run(
            [python, "-c", solution],
            input=test["input"],
            capture_output=True,
            text=True,
            timeout=TIMEOUT_S,
        )
    except subprocess.TimeoutExpired:
        return pid, index, f"timed out after {TIMEOUT_S:g} s", TIMEOUT_S
    elapsed = time.monotonic() - start
    if proc.returncode != 0:
        tail = proc.stderr.strip().splitlines()[-1:] or ["(no stderr)"]
        return pid, index, f"exit code {proc.returncode}: {tail[0]}", elapsed
    if proc.stdout.split() != test["output"].split():
        want = " ".join(test["output"].split())
        got = " ".join(proc.stdout.split())
        return pid, index, f"wrong output: expected {want[:80]!r}, got {got[:80]!r}", elapsed
    return pid, index, None, elapsed


def main():
    parser = argparse.ArgumentParser(description="Validate seeds/quarry-seeds.jsonl")
    parser.add_argument("path", nargs="?", default=default_path())
    parser.add_argument("--jobs", type=int, default=max(1, os.cpu_count() or 1))
    args = parser.parse_args()

    python = shutil.which("python3")
    if python is None:
        print("check_seeds: python3 not found on PATH", file=sys.stderr)
        return 2
    try:
        with open(args.path, encoding="utf-8") as f:
            raw_lines = f.read().splitlines()
    except OSError as e:
        print(f"check_seeds: cannot read {args.path}: {e}", file=sys.stderr)
        return 2

    failures = []
    problems = []  # records without errors: their tests are run
    concept_lists = []  # every well-formed concepts list, so one bad field does not cascade
    seen_ids = {}
    for lineno, line in enumerate(raw_lines, 1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as e:
            failures.append(f"line {lineno}: invalid JSON: {e}")
            continue
        pid = rec.get("id") if isinstance(rec, dict) else None
        where = f"line {lineno} ({pid})" if isinstance(pid, str) else f"line {lineno}"
        errors = validate_record(rec, where)
        if isinstance(pid, str):
            if pid in seen_ids:
                errors.append(f"{where}: duplicate id, first used on line {seen_ids[pid]}")
            else:
                seen_ids[pid] = lineno
        failures.extend(errors)
        concepts = rec.get("concepts") if isinstance(rec, dict) else None
        if isinstance(concepts, list) and all(isinstance(c, str) for c in concepts):
            concept_lists.append((pid, concepts))
        if not errors:
            problems.append(rec)

    uses = Counter(c for _, concepts in concept_lists for c in set(concepts))
    for concept, n in sorted(uses.items()):
        if n < MIN_CONCEPT_USES:
            holders = [str(pid) for pid, concepts in concept_lists if concept in concepts]
            failures.append(
                f"concept '{concept}' is used by {n} problem(s) ({', '.join(holders)}), "
                f"needs at least {MIN_CONCEPT_USES}")

    jobs = [(p["id"], i, p["solution"], t) for p in problems for i, t in enumerate(p["tests"])]
    with ThreadPoolExecutor(max_workers=args.jobs) as pool:
        results = list(pool.map(lambda j: run_test(python, *j), jobs))
    slow = []
    for pid, index, error, elapsed in results:
        if error:
            failures.append(f"{pid} test {index}: {error}")
        elif elapsed > SLOW_S:
            slow.append(f"{pid} test {index}: {elapsed:.2f} s")

    for line in failures:
        print(f"FAIL {line}")
    for line in slow:
        print(f"note: slow test (> {SLOW_S:g} s) {line}")
    n_tests = sum(len(p["tests"]) for p in problems)
    if failures:
        print(f"seeds: {len(problems)} valid problems, {n_tests} tests, {len(failures)} failure(s)")
        return 1
    print(f"seeds: {len(problems)} problems, {n_tests} tests, all passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
