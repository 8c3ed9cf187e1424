#!/usr/bin/env bash
# Creates Quarry's namespace on a Temporal server that is not the dev server (which has
# `default` already). Runs last for days, and people look at finished runs for weeks afterwards:
# keep closed workflow histories for 30 days rather than the default 3.
#
# Usage: temporal-config/setup-namespace.sh [NAMESPACE] [ADDRESS]
set -euo pipefail
namespace="${1:-quarry}"
address="${2:-${QUARRY_TEMPORAL_ADDRESS:-127.0.0.1:7233}}"
if temporal operator namespace describe --address "$address" --namespace "$namespace" >/dev/null 2>&1; then
  echo "namespace $namespace exists on $address"
  exit 0
fi
temporal operator namespace create --address "$address" --namespace "$namespace" --retention 720h
echo "created namespace $namespace on $address; run workers with QUARRY_TEMPORAL_NAMESPACE=$namespace"
