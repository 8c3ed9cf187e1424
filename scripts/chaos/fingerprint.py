#!/usr/bin/env python3
"""Fingerprints of every file under a folder, with the run id taken out, one sorted line each.

Usage: fingerprint.py FOLDER RUN_ID

The artifact store names a file by its content's sha256, and a few artifacts carry the run id
(keys, output paths): two runs of one seed then differ only by that. Sandbox outcomes also carry
what no seed fixes: the measured wall time ("wallSeconds") and the runner's scratch folder
(/tmp/quarry-N, numbered per container) in tracebacks. Each file's content, with RUN_ID replaced
by <RUN>, wall times dropped and scratch folders renamed /tmp/quarry-N, is hashed again, and each distinct
hash listed once: equal lists mean equal content. (Once: the same batch outcome run twice, e.g.
for two candidates with the same programs and inputs, is two files with different wall times in one
run and may be one file in another.) Files whose name starts with '.' (the suite's disk filler)
are left out.
"""
import hashlib
import json
import os
import re
import sys

SCRATCH = re.compile(r"/tmp/quarry-\d+/")


def without_timings(value):
    if isinstance(value, dict):
        return {k: without_timings(v) for k, v in value.items() if k != "wallSeconds"}
    if isinstance(value, list):
        return [without_timings(v) for v in value]
    if isinstance(value, str):
        return SCRATCH.sub("/tmp/quarry-N/", value)
    return value


def normalised(content, run_id):
    content = content.replace(run_id.encode(), b"<RUN>")
    try:
        value = json.loads(content)
    except ValueError:
        return content
    return json.dumps(without_timings(value), sort_keys=True).encode()


def fingerprints(folder, run_id):
    out = []
    for parent, _, names in os.walk(folder):
        for name in names:
            if name.startswith("."):
                continue
            with open(os.path.join(parent, name), "rb") as f:
                out.append(hashlib.sha256(normalised(f.read(), run_id)).hexdigest())
    return sorted(set(out))


if __name__ == "__main__":
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    for line in fingerprints(sys.argv[1], sys.argv[2]):
        print(line)
