# skyfence route with Starlink's reconfiguration slots (--reconfiguration, docs/network.md
# "Reconfiguration slots"): off, the routes are those route wrote before the slots existed; on, the
# serving satellite changes only where a slot starts or where one is reported lost, routes go through it,
# the RTT drifts inside slots, the summary's jumps match the rows; gateways held too; bad options.
source "$(dirname "$0")/lib.bash"
CITIES="$REPO_DATA/cities/cities_top100.csv"
SHELL1=(--preset starlink-gen1 --satellite 'STARLINK_GEN1-0-*')

# Off (the default): the first 7 columns (13 in the summary) are byte for byte what route wrote before
# the slots existed (tests/data/network/route_unheld_*.csv: commit 4fad071, the same commands).
printf 'id,lat_deg,lon_deg\nseattle,47.6,-122.3\nmadrid,40.4,-3.7\nocean,-50,-140\n' > "$WORK/terminals.csv"
expect_exit 0 "off: rows" -- "$SKYFENCE" route "${SHELL1[@]}" --sites "$CITIES" --pairs "$DATA/network/pairs.csv" \
  --start 2026-05-01T00:00:07Z --duration 40s --step 3s -q
cmp -s <(cut -d, -f1-7 "$WORK/out") "$DATA/network/route_unheld_rows.csv" && pass || fail "rows differ from before"
expect_exit 0 "off: to the internet" -- "$SKYFENCE" route "${SHELL1[@]}" --sites "$WORK/terminals.csv" --to-internet \
  --start 2026-05-01T00:00:00Z --duration 40s --step 3s -q
cmp -s <(cut -d, -f1-7 "$WORK/out") "$DATA/network/route_unheld_internet.csv" && pass || fail "to-internet rows differ from before"
expect_exit 0 "off: summary" -- "$SKYFENCE" route "${SHELL1[@]}" --sites "$CITIES" --pairs "$DATA/network/pairs.csv" \
  --start 2026-05-01T00:00:07Z --duration 40s --step 3s -q --summary
cmp -s <(cut -d, -f1-13 "$WORK/out") "$DATA/network/route_unheld_summary.csv" && pass || fail "summary differs from before"
# Off, every jump is inside (no slot boundary): 14 steps, 13 jumps per pair, no reassignment.
awk -F, 'NR > 1 && !($14 == 0 && $15 == "" && $18 == 13 && $22 == 0) { exit 1 }' "$WORK/out" && pass || fail "off: jumps $(sed -n 2p "$WORK/out")"

# On (the README's example, shorter under the sanitizers): Paris to Lagos every second.
DUR=2m
[[ "$SANITIZED" == 1 ]] && DUR=40s
HELD=(--sites "$CITIES" --from Paris --to Lagos --start 2026-05-01T00:00:00Z --duration "$DUR" --step 1s)
expect_exit 0 "starlink slots" -- "$SKYFENCE" route "${SHELL1[@]}" "${HELD[@]}" --reconfiguration starlink -o "$WORK/held.csv"
expect_grep "serving satellites \(highest-elevation\) held in slots of 15s starting 12s after each UTC midnight and every 15s after: [0-9]+ slot\(s\), 0 early reassignment\(s\)" \
  "$WORK/err" "slots reported"
expect_exit 0 "the same by interval and offset" -- "$SKYFENCE" route "${SHELL1[@]}" "${HELD[@]}" \
  --reconfiguration-interval 15s --reconfiguration-offset 12s -q
cmp -s "$WORK/out" "$WORK/held.csv" && pass || fail "--reconfiguration starlink is not 15s/12s"
expect_exit 0 "one thread" -- "$SKYFENCE" route "${SHELL1[@]}" "${HELD[@]}" --reconfiguration starlink --threads 1 -q
cmp -s "$WORK/out" "$WORK/held.csv" && pass || fail "--threads 1 output differs with slots"
# slot_start: :12, :27, :42 or :57, the latest at or before the step (the first rows: 23:59:57 the day before).
awk -F, 'function sod(t) { return substr(t, 12, 2) * 3600 + substr(t, 15, 2) * 60 + substr(t, 18, 6) }
  NR > 1 { s = sod($9); t = sod($1); if (substr($9, 1, 10) != substr($1, 1, 10)) s -= 86400
           if ((s + 86400) % 15 != 12 || t - s < 0 || t - s >= 15) exit 1 }' "$WORK/held.csv" \
  && pass || fail "slot_start off the 15s/12s grid"
# The path leaves through the held satellite; it changes only where slot_start does (none lost here).
awk -F, 'NR > 1 { split($7, p, ">"); if (p[2] != $8) exit 1; if (NR > 2 && $8 != sat && $9 == slot) exit 2; sat = $8; slot = $9 }' \
  "$WORK/held.csv" && pass || fail "serving satellite not the path's, or changed inside a slot"
# Held routes are never shorter than free ones (holding removes links), and the RTT drifts inside slots.
expect_exit 0 "free" -- "$SKYFENCE" route "${SHELL1[@]}" "${HELD[@]}" -q
paste -d, <(cut -d, -f4 "$WORK/held.csv") <(cut -d, -f4 "$WORK/out") | awk -F, 'NR > 1 && $1 < $2 { exit 1 }' \
  && pass || fail "a held route is shorter than the free one"
awk -F, 'NR > 2 && $9 == slot && $4 != rtt { drift++ } { slot = $9; rtt = $4 } END { exit !(drift > 20) }' "$WORK/held.csv" \
  && pass || fail "no drift inside slots"
# The summary's jumps are the rows': count, and max at slot boundaries and inside (rows to 3 decimals).
expect_exit 0 "starlink summary" -- "$SKYFENCE" route "${SHELL1[@]}" "${HELD[@]}" --reconfiguration starlink --summary -q
awk -F, 'NR == FNR { if (FNR > 2) { j = $4 - rtt; if (j < 0) j = -j; if ($9 != slot) { nb++; if (j > mb) mb = j } else { ni++; if (j > mi) mi = j } }
                     if (FNR > 1) { rtt = $4; slot = $9 }; next }
  FNR == 2 { d1 = $17 - mb; d2 = $21 - mi; if ($14 != nb || $18 != ni || d1 * d1 > 4e-6 || d2 * d2 > 4e-6 || $22 != 0) exit 1 }' \
  "$WORK/held.csv" "$WORK/out" && pass || fail "summary jumps disagree with the rows: $(sed -n 2p "$WORK/out")"

# The shortest-path rule: at a step that starts a slot the held route is the free one (its satellites
# are that route's); inside the slot never shorter; the satellite still changes only where slots start.
expect_exit 0 "shortest-path rule" -- "$SKYFENCE" route "${SHELL1[@]}" "${HELD[@]}" --reconfiguration starlink \
  --reconfiguration-rule shortest-path -o "$WORK/sp.csv"
expect_grep "serving satellites \(shortest-path\) held" "$WORK/err" "rule reported"
expect_exit 0 "free again" -- "$SKYFENCE" route "${SHELL1[@]}" "${HELD[@]}" -q
paste -d, "$WORK/sp.csv" "$WORK/out" | awk -F, 'NR > 1 { if ($1 == $9 && $4 != $13) exit 1; if ($4 < $13) exit 2 }' \
  && pass || fail "shortest-path: the slot's first route is not the free one, or a held route is shorter"
awk -F, 'NR > 1 && $9 == $1 { n++ } END { exit !(n >= 2) }' "$WORK/sp.csv" && pass || fail "no step on a slot start"
awk -F, 'NR > 1 { split($7, p, ">"); if (p[2] != $8) exit 1; if (NR > 2 && $8 != sat && $9 == slot) exit 2; sat = $8; slot = $9 }' \
  "$WORK/sp.csv" && pass || fail "shortest-path: serving satellite not the path's, or changed inside a slot"
expect_exit 2 "rule without slots" -- "$SKYFENCE" route "${SHELL1[@]}" "${HELD[@]}" --reconfiguration-rule shortest-path
expect_grep "applies to reconfiguration slots" "$WORK/err" "rule needs slots"

# Long slots (10 min, steps of 30 s): held satellites set inside slots and are replaced; the summary's
# early_reassignments counts the source's changes inside a slot, and stderr the sites' together.
expect_exit 0 "long slots" -- "$SKYFENCE" route "${SHELL1[@]}" --sites "$CITIES" --from Manila --to Dalian \
  --start 2026-05-01T00:00:00Z --duration 30m --step 30s --reconfiguration-interval 10m -o "$WORK/long.csv"
INSIDE=$(awk -F, 'NR > 2 && $9 == slot && $8 != sat { n++ } { slot = $9; sat = $8 } END { print n + 0 }' "$WORK/long.csv")
[[ $INSIDE -gt 0 ]] && pass || fail "no reassignment inside 10-min slots"
expect_grep "3 slot\(s\), [0-9]+ early reassignment" "$WORK/err" "long slots reported"
EARLY=$(sed -n 's/.* slot(s), \([0-9]*\) early reassignment.*/\1/p' "$WORK/err")
[[ $EARLY -ge $INSIDE ]] && pass || fail "stderr counts $EARLY early reassignments, Manila alone changed $INSIDE times"
expect_exit 0 "long slots summary" -- "$SKYFENCE" route "${SHELL1[@]}" --sites "$CITIES" --from Manila --to Dalian \
  --start 2026-05-01T00:00:00Z --duration 30m --step 30s --reconfiguration-interval 10m --summary -q
[[ "$(sed -n 2p "$WORK/out" | cut -d, -f22)" == "$INSIDE" ]] && pass || fail "early_reassignments $(sed -n 2p "$WORK/out") vs $INSIDE"

# Gateways held too (--hold-gateways): routes to the internet land through one satellite per gateway and
# slot (none lost here, as stderr says), the sites' satellites are those held without it, and held routes
# are never shorter than the free ones.
GW=(--sites "$WORK/terminals.csv" --to-internet --start 2026-05-01T00:00:00Z --duration 40s --step 3s)
expect_exit 0 "gateways held" -- "$SKYFENCE" route "${SHELL1[@]}" "${GW[@]}" --reconfiguration starlink --hold-gateways \
  -o "$WORK/gw.csv"
expect_grep "gateways' satellites held in the same slots: 0 early reassignment" "$WORK/err" "gateway holds reported"
awk -F, 'NR > 1 && $7 != "" { n = split($7, p, ">"); k = $9 ">" p[n - 1]; if (k in sat && sat[k] != p[n - 2]) exit 1
                              sat[k] = p[n - 2]; seen++ } END { exit !(seen > 20) }' "$WORK/gw.csv" \
  && pass || fail "a gateway's satellite changed inside a slot"
expect_exit 0 "gateways free" -- "$SKYFENCE" route "${SHELL1[@]}" "${GW[@]}" --reconfiguration starlink -q
cmp -s <(cut -d, -f8,9 "$WORK/gw.csv") <(cut -d, -f8,9 "$WORK/out") && pass || fail "the sites' satellites changed"
paste -d, <(cut -d, -f4 "$WORK/gw.csv") <(cut -d, -f4 "$WORK/out") | awk -F, 'NR > 1 && $1 != "" && $1 < $2 { exit 1 }' \
  && pass || fail "a route with gateways held is shorter"
expect_exit 2 "gateways held without slots" -- "$SKYFENCE" route "${SHELL1[@]}" "${GW[@]}" --hold-gateways
expect_grep "^skyfence: error: --hold-gateways: applies to reconfiguration slots" "$WORK/err" "--hold-gateways needs slots"

# Bad options, each with what was expected; no output file left.
WIN=(--sites "$CITIES" --from Paris --to Lagos --start 2026-05-01T00:00:00Z --duration 20s --step 1s)
expect_exit 2 "bad interval" -- "$SKYFENCE" route "${SHELL1[@]}" "${WIN[@]}" --reconfiguration-interval 15q -o "$WORK/half.csv"
expect_grep "^skyfence: error: --reconfiguration-interval" "$WORK/err" "bad interval named"
[[ ! -e "$WORK/half.csv" ]] && pass || fail "an output file was left behind"
expect_exit 2 "interval not dividing a day" -- "$SKYFENCE" route "${SHELL1[@]}" "${WIN[@]}" --reconfiguration-interval 7s
expect_grep "^skyfence: error: --reconfiguration-interval: expected a positive duration that divides 24 h \(15s, 1m\), got \"7s\"" \
  "$WORK/err" "7s refused"
expect_exit 2 "zero interval" -- "$SKYFENCE" route "${SHELL1[@]}" "${WIN[@]}" --reconfiguration-interval 0s
expect_grep "expected a positive duration that divides 24 h" "$WORK/err" "0s refused"
expect_exit 2 "offset not below the interval" -- "$SKYFENCE" route "${SHELL1[@]}" "${WIN[@]}" \
  --reconfiguration-interval 15s --reconfiguration-offset 15s
expect_grep "^skyfence: error: --reconfiguration-offset: expected a duration in \[0, 15s\) \(the interval\), got \"15s\"" \
  "$WORK/err" "offset = interval refused"
expect_exit 2 "negative offset" -- "$SKYFENCE" route "${SHELL1[@]}" "${WIN[@]}" --reconfiguration-interval 15s --reconfiguration-offset=-1s
expect_grep "^skyfence: error: --reconfiguration-offset: expected a duration in \[0, 15s\)" "$WORK/err" "negative offset refused"
expect_exit 2 "offset alone" -- "$SKYFENCE" route "${SHELL1[@]}" "${WIN[@]}" --reconfiguration-offset 12s
expect_grep "reconfiguration-offset requires --reconfiguration-interval" "$WORK/err" "offset needs the interval"
expect_exit 2 "profile and interval" -- "$SKYFENCE" route "${SHELL1[@]}" "${WIN[@]}" --reconfiguration starlink --reconfiguration-interval 15s
expect_grep "excludes --reconfiguration-interval" "$WORK/err" "profile excludes the interval"
expect_exit 2 "unknown profile" -- "$SKYFENCE" route "${SHELL1[@]}" "${WIN[@]}" --reconfiguration oneweb
expect_exit 2 "not with the export" -- "$SKYFENCE" route "${SHELL1[@]}" --sites "$CITIES" --start 2026-05-01T00:00:00Z \
  --duration 2s --step 1s --export-hypatia "$WORK/export" --reconfiguration starlink
[[ ! -e "$WORK/export" ]] && pass || fail "the export folder was made"
expect_exit 0 "help" -- "$SKYFENCE" route --help
expect_grep "reconfiguration-interval" "$WORK/out" "help lists the slots"
expect_grep ":12, :27, :42, :57" "$WORK/out" "help explains the Starlink grid"
finish
