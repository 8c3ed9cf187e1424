#!/usr/bin/env python3
"""Unit tests of compare.py on hand-made rows: python3 scripts/chaos/test_compare.py"""
import json
import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import compare  # noqa: E402
import fingerprint  # noqa: E402


def row(run, prompt, verdicts, reason=None):
    return {"key": f"{run}/round-0/prompt-{prompt}/candidate-0", "verdictCounts": verdicts, "invalidReason": reason}


def export(run, dataset, candidates):
    """An export folder as `quarry run export` writes it; returns (folder, its rows)."""
    folder = tempfile.mkdtemp()
    for name, rows in (("dataset.jsonl", dataset), ("candidates.jsonl", candidates)):
        with open(os.path.join(folder, name), "w") as f:
            f.writelines(json.dumps(r) + "\n" for r in rows)
    return {name: compare.rows(os.path.join(folder, name), run) for name in compare.FILES}


class CompareTest(unittest.TestCase):
    def setUp(self):
        self.ref = export("ref-1", [], [row("ref-1", 0, {"PASS": 2}), row("ref-1", 1, {"COMPILE_ERROR": 4})])

    def test_same_rows_under_another_run_id_are_identical(self):
        run = export("run-7", [], [row("run-7", 1, {"COMPILE_ERROR": 4}), row("run-7", 0, {"PASS": 2})])
        summary, problems = compare.compare(self.ref, run)
        self.assertEqual([], problems)
        self.assertTrue(summary["identical"])
        self.assertEqual(2, summary["candidatesRows"])

    def test_a_missing_row_is_lost_and_a_repeated_one_duplicated(self):
        run = export("run-7", [], [row("run-7", 0, {"PASS": 2}), row("run-7", 0, {"PASS": 2}), row("run-7", 0, {"PASS": 2})])
        summary, _ = compare.compare(self.ref, run)
        self.assertEqual(1, summary["lost"])        # prompt-1
        self.assertEqual(2, summary["duplicated"])  # 3 rows for one key: 2 too many
        self.assertFalse(summary["identical"])

    def test_a_changed_verdict_is_reported_with_its_field(self):
        run = export("run-7", [], [row("run-7", 0, {"PASS": 1, "WRONG_ANSWER": 1}), row("run-7", 1, {"COMPILE_ERROR": 4})])
        summary, problems = compare.compare(self.ref, run)
        self.assertEqual(1, summary["changed"])
        self.assertIn("candidates.jsonl: <RUN>/round-0/prompt-0/candidate-0 differs at .verdictCounts.PASS", problems)

    def test_a_sandbox_error_verdict_fails_even_when_both_runs_agree(self):
        ref = export("ref-1", [], [row("ref-1", 0, {"SANDBOX_ERROR": 1})])
        run = export("run-7", [], [row("run-7", 0, {"SANDBOX_ERROR": 1})])
        summary, _ = compare.compare(ref, run)
        self.assertEqual(2, summary["sandboxErrors"])  # one in each file's row
        self.assertFalse(summary["identical"])

    def test_an_extra_row_is_reported(self):
        run = export("run-7", [], [row("run-7", 0, {"PASS": 2}), row("run-7", 1, {"COMPILE_ERROR": 4}), row("run-7", 2, {})])
        summary, _ = compare.compare(self.ref, run)
        self.assertEqual(1, summary["extra"])
        self.assertEqual(0, summary["lost"])


class FingerprintTest(unittest.TestCase):
    def outcome(self, run, scratch, wall):
        return json.dumps({"key": f"{run}/p0", "outcomes": [{"verdict": "RUNTIME_ERROR", "wallSeconds": wall,
                           "stderrTail": f'File "/tmp/quarry-{scratch}/p0.py", line 1'}]}).encode()

    def test_run_id_wall_time_and_scratch_folder_do_not_count(self):
        a = fingerprint.normalised(self.outcome("ref-1", 8, 0.0349), "ref-1")
        b = fingerprint.normalised(self.outcome("run-7", 7, 0.0275), "run-7")
        self.assertEqual(a, b)

    def test_one_outcome_stored_twice_with_different_wall_times_is_listed_once(self):
        folder = tempfile.mkdtemp()
        for name, wall in (("a", 0.05), ("b", 0.02)):
            with open(os.path.join(folder, name), "wb") as f:
                f.write(self.outcome("ref-1", 7, wall))
        with open(os.path.join(folder, ".chaos-fill"), "wb") as f:
            f.write(b"\0" * 10)
        self.assertEqual(1, len(fingerprint.fingerprints(folder, "ref-1")))

    def test_a_different_verdict_does(self):
        a = fingerprint.normalised(self.outcome("ref-1", 8, 0.0349), "ref-1")
        b = fingerprint.normalised(self.outcome("run-7", 8, 0.0349).replace(b"RUNTIME_ERROR", b"PASS"), "run-7")
        self.assertNotEqual(a, b)


if __name__ == "__main__":
    unittest.main()
