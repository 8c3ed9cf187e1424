#!/usr/bin/env bash
# Prints the Debian package mirror this machine's apt uses (the first main-archive URI of its
# sources, deb822 or one-line format), so image builds debootstrap from the same mirror as apt and
# no mirror address is written into the repository. Fails with a message when apt names none.
set -euo pipefail
shopt -s nullglob
for f in /etc/apt/sources.list.d/*.sources; do
  uri="$(awk '/^URIs:/ {for (i = 2; i <= NF; i++) if ($i !~ /security/) {print $i; exit}}' "$f")"
  [[ -n "$uri" ]] && { echo "${uri%/}"; exit 0; }
done
for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
  [[ -f "$f" ]] || continue
  uri="$(awk '$1 == "deb" {for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:\/\//) {if ($i !~ /security/) print $i; break}}' "$f" | head -n 1)"
  [[ -n "$uri" ]] && { echo "${uri%/}"; exit 0; }
done
echo "no Debian mirror in this machine's apt sources: set DEBIAN_MIRROR to one" >&2
exit 1
