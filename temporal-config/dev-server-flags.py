#!/usr/bin/env python3
"""Turns temporal-config/dynamic-config.yaml into `temporal server start-dev` flags.

The dev server reads no dynamic-config file, only `--dynamic-config-value KEY=JSON` flags, and a
flag cannot carry constraints. So every entry whose constraints are empty becomes one flag, and
every constrained entry (e.g. per task queue) is left out with a note on stderr: on a one-machine
dev server those tunings do not matter.

    temporal server start-dev $(python3 temporal-config/dev-server-flags.py)

Exits non-zero, naming the entry, when the file is not in dynamic-config shape
(KEY: [{value: V, constraints: {...}}, ...]), so it doubles as a check of the file.
Needs PyYAML (Debian: apt-get install python3-yaml; else pip install pyyaml).
"""
import json
import pathlib
import sys

try:
    import yaml
except ImportError:
    sys.exit("PyYAML is missing: apt-get install python3-yaml (or pip install pyyaml)")

DEFAULT = pathlib.Path(__file__).resolve().parent / "dynamic-config.yaml"


def flags(document):
    """The flags for one parsed dynamic-config document, and notes on what was left out."""
    if not isinstance(document, dict):
        raise ValueError("the file must map keys to lists of {value, constraints}")
    out, notes = [], []
    for key, entries in document.items():
        if not isinstance(entries, list) or not entries:
            raise ValueError(f"{key}: must be a non-empty list of {{value, constraints}}")
        for entry in entries:
            if not isinstance(entry, dict) or "value" not in entry:
                raise ValueError(f"{key}: every list item needs a 'value'")
            unknown = set(entry) - {"value", "constraints"}
            if unknown:
                raise ValueError(f"{key}: unknown field(s) {sorted(unknown)}")
            constraints = entry.get("constraints") or {}
            if not isinstance(constraints, dict):
                raise ValueError(f"{key}: constraints must be a mapping")
            if constraints:
                notes.append(f"{key} {constraints}: constrained, not expressible as a dev-server flag")
                continue
            out += ["--dynamic-config-value", f"{key}={json.dumps(entry['value'])}"]
    return out, notes


def main(argv):
    path = pathlib.Path(argv[1]) if len(argv) > 1 else DEFAULT
    try:
        result, notes = flags(yaml.safe_load(path.read_text()))
    except (OSError, yaml.YAMLError, ValueError) as e:
        sys.exit(f"{path}: {e}")
    for note in notes:
        print(f"skipped {note}", file=sys.stderr)
    print(" ".join(result))


if __name__ == "__main__":
    main(sys.argv)
