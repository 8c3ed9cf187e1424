#!/usr/bin/env bash
# Registers Quarry's custom search attributes in a namespace, so runs can be filtered in the web
# UI and with `temporal workflow list --query`, e.g.
#   QuarryRunId = 'nightly-7' AND QuarryStage = 'evaluating'
#   QuarryMethod = 'quest' AND QuarryRound >= 3
#
#   QuarryRunId             Keyword  the run (GenerationRun workflow id) a workflow belongs to
#   QuarryRound             Int      round number within the run
#   QuarryMethod            Keyword  quest | scalequest | sparq
#   QuarryStage             Keyword  the stage a round or prompt is in (concepts, generate, ...)
#   QuarryGeneratorVersion  Keyword  the generator version that writes this round's problems
#   QuarryFailedPrompts     Int      a round's prompts whose child workflow failed (with reasons in its tally)
#
# Idempotent: attributes that exist with the right type are skipped; one that exists with
# ANOTHER type is an error (Temporal cannot change a type in place: pick a new name, or remove
# it with `temporal operator search-attribute remove` on a namespace where nothing uses it).
#
# On a SQL-backed server (PostgreSQL, MySQL, SQLite) each namespace has a fixed number of slots
# per type (10 Keyword, 3 Int, ...); these 5 fit. On the dev server and PostgreSQL they are
# usable at once; with Elasticsearch allow a few seconds for the index mapping to update.
#
# Usage: temporal-config/register-search-attributes.sh [NAMESPACE] [ADDRESS]
#   NAMESPACE default: $QUARRY_TEMPORAL_NAMESPACE, else `default`
#   ADDRESS   default: $QUARRY_TEMPORAL_ADDRESS, else 127.0.0.1:7233
# Environment: TEMPORAL_CLI (default: `temporal` on PATH; `make temporal-cli` installs it).
set -euo pipefail
namespace="${1:-${QUARRY_TEMPORAL_NAMESPACE:-default}}"
address="${2:-${QUARRY_TEMPORAL_ADDRESS:-127.0.0.1:7233}}"
temporal="${TEMPORAL_CLI:-temporal}"

# name:type, type as `temporal operator search-attribute create --type` spells it.
ATTRIBUTES=(
  QuarryRunId:Keyword
  QuarryRound:Int
  QuarryMethod:Keyword
  QuarryStage:Keyword
  QuarryGeneratorVersion:Keyword
  QuarryFailedPrompts:Int
)

die() { echo "error: $*" >&2; exit 1; }
command -v "$temporal" >/dev/null || die "Temporal CLI '$temporal' not found: run 'make temporal-cli' (or set TEMPORAL_CLI)"

# The listing as JSON, one `"Name": "INDEXED_VALUE_TYPE_X"` pair per line. Parsed with sed, not
# jq or python, so the script also runs in the temporalio/admin-tools image.
list() {
  "$temporal" operator search-attribute list --address "$address" --namespace "$namespace" -o json
}
existing="$(list 2>&1)" || die "cannot list search attributes of namespace '$namespace' at $address: $existing"

# Prints the indexed type of attribute $1 (e.g. INDEXED_VALUE_TYPE_KEYWORD), or nothing.
type_of() {
  sed -n "s/^ *\"$1\": *\"\\(INDEXED_VALUE_TYPE_[A-Z_]*\\)\".*/\\1/p" <<<"$existing" | head -n 1
}

# Keyword -> INDEXED_VALUE_TYPE_KEYWORD, KeywordList -> INDEXED_VALUE_TYPE_KEYWORD_LIST.
indexed_type() {
  local snake
  snake="$(sed -E 's/([a-z])([A-Z])/\1_\2/g' <<<"$1")"
  echo "INDEXED_VALUE_TYPE_${snake^^}"
}

created=0
for attribute in "${ATTRIBUTES[@]}"; do
  name="${attribute%%:*}"
  type="${attribute##*:}"
  want="$(indexed_type "$type")"
  have="$(type_of "$name")"
  if [[ "$have" == "$want" ]]; then
    echo "exists   $name ($type)"
  elif [[ -n "$have" ]]; then
    die "search attribute $name exists in namespace '$namespace' as ${have#INDEXED_VALUE_TYPE_}, not ${want#INDEXED_VALUE_TYPE_}: it cannot be changed in place; remove it first if nothing uses it"
  else
    "$temporal" operator search-attribute create --address "$address" --namespace "$namespace" \
      --name "$name" --type "$type" >/dev/null
    echo "created  $name ($type)"
    created=$((created + 1))
  fi
done

# Read back: a create that returned but did not take effect must not pass silently.
existing="$(list)"
for attribute in "${ATTRIBUTES[@]}"; do
  name="${attribute%%:*}"
  [[ "$(type_of "$name")" == "$(indexed_type "${attribute##*:}")" ]] \
    || die "search attribute $name is not listed with type ${attribute##*:} after creating it"
done
echo "namespace '$namespace' at $address: ${#ATTRIBUTES[@]} Quarry search attributes present ($created created)"
