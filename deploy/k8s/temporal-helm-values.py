#!/usr/bin/env python3
"""Prints Helm values that give the official Temporal chart Quarry's dynamic config.

The chart takes dynamic config as the map `server.dynamicConfig` in its values; Quarry keeps
ONE source, temporal-config/dynamic-config.yaml (also used by compose and the dev server), so
the values are generated from it rather than copied:

    python3 deploy/k8s/temporal-helm-values.py > /tmp/quarry-dynamic-config-values.yaml
    helm upgrade --install temporal temporal/temporal --namespace temporal \\
      -f your-persistence-values.yaml -f /tmp/quarry-dynamic-config-values.yaml

Needs PyYAML (Debian: apt-get install python3-yaml).
"""
import pathlib
import sys

try:
    import yaml
except ImportError:
    sys.exit("PyYAML is missing: apt-get install python3-yaml (or pip install pyyaml)")

SOURCE = pathlib.Path(__file__).resolve().parents[2] / "temporal-config" / "dynamic-config.yaml"


def values(dynamic_config):
    return {"server": {"dynamicConfig": dynamic_config}}


if __name__ == "__main__":
    path = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else SOURCE
    print(f"# Generated from {path.name} by deploy/k8s/temporal-helm-values.py: edit that file, not this.")
    print(yaml.safe_dump(values(yaml.safe_load(path.read_text())), sort_keys=False), end="")
