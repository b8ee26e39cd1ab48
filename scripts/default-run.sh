#!/usr/bin/env bash
# The default job of `make run`: propagate the bundled Starlink snapshot over one orbit (96 minutes
# at 1-minute steps from 2026-04-27T12:00:00Z, near the snapshot's median epoch) and summarise it.
# Usage: scripts/default-run.sh [path/to/skyfence] [output dir]
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
skyfence="${1:-$here/build/skyfence}"
out="${2:-$here/build/run}"
catalog="$here/data/tle/starlink_2026-04-27.tle"
mkdir -p "$out"

"$skyfence" propagate --tle "$catalog" \
  --start 2026-04-27T12:00:00Z --stop 2026-04-27T13:36:00Z --step 1m \
  --frame geodetic -o "$out/starlink_geodetic.csv"
"$skyfence" propagate --tle "$catalog" \
  --start 2026-04-27T12:00:00Z --stop 2026-04-27T13:36:00Z --step 1m \
  --frame teme --format npy -o "$out/starlink_teme.npy" --quiet

# A short summary of what was computed, from the CSV itself.
awk -F, 'NR > 1 {
    n++; sats[$1] = 1; alt = $NF + 0
    if (min == "" || alt < min) min = alt
    if (max == "" || alt > max) max = alt
    sum += alt
    if ($(NF-2) + 0 > 0) north++
  }
  END {
    ns = 0; for (s in sats) ns++
    printf "\nStarlink snapshot 2026-04-27, one orbit (96 min at 1-min steps):\n"
    printf "  satellites          %d\n", ns
    printf "  states              %d\n", n
    printf "  altitude (km)       min %.1f, mean %.1f, max %.1f\n", min, sum / n, max
    printf "  in the northern hemisphere at a given step: %.1f%%\n", 100 * north / n
  }' "$out/starlink_geodetic.csv"
echo
echo "Results are in $out:"
echo "  $out/starlink_geodetic.csv   (norad_id,name,time_utc,tsince_min,lat_deg,lon_deg,alt_km)"
echo "  $out/starlink_teme.npy       (float64 [satellites, times, 6] TEME km, km/s; ids and times in starlink_teme.npy.json)"
