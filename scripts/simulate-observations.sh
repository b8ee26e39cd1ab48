#!/bin/bash
# Simulated observations for `skyfence locate`: a terminal served each slot by the highest satellite in
# view (the scheduler model of docs/locate.md), found with `skyfence visible`.
#   scripts/simulate-observations.sh SKYFENCE CATALOG START MINUTES SLOT_S ID=LAT,LON [ID=LAT,LON...]
# Writes time_utc,norad_id,terminal_id on standard output. Not used by the build.
set -euo pipefail
skyfence="$1" catalog="$2" start="$3" minutes="$4" slot="$5"
shift 5
echo "time_utc,norad_id,terminal_id"
t0=$(date -u -d "$start" +%s)
for ((k = 0; k * slot < minutes * 60; k++)); do
  t=$(date -u -d "@$((t0 + k * slot))" +%Y-%m-%dT%H:%M:%SZ)
  for terminal in "$@"; do
    id="${terminal%%=*}"
    # The first row after the header is the highest satellite in view; none: no service, no observation.
    "$skyfence" visible --catalog "$catalog" "--site=${terminal#*=}" --time "$t" -q |
      awk -F, -v t="$t" -v id="$id" 'NR == 2 {print t "," $1 "," id}'
  done
done
