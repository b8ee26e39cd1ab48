# skyfence policy validate, check and audit verify: results, every error at once, audit chain.
source "$(dirname "$0")/lib.bash"
P="$DATA/policy/starlink_test.toml"
T="2026-08-01T12:00:00Z"

# validate: a good file, the bundled example, and a file with many problems.
expect_exit 0 "validate" -- "$SKYFENCE" policy validate --rules "$P"
expect_grep "valid; provider starlink, 5 rules \(1 permit, 4 forbid\)" "$WORK/out" "validate summary"
expect_grep "line 8: forbid no-service-in-russia: inside RUS" "$WORK/out" "rules listed"
expect_exit 0 "validate example" -- "$SKYFENCE" policy validate "$REPO_DATA/policies/starlink.toml"
expect_exit 2 "validate bad" -- "$SKYFENCE" policy validate "$DATA/policy/bad_many.toml"
expect_grep "bad_many.toml:2: colour: unknown field" "$WORK/err" "unknown field"
expect_grep "bad_many.toml:6: rule\[0\].effect: expected \"permit\" or \"forbid\"" "$WORK/err" "bad effect"
expect_grep "bad_many.toml:8: rule\[1\].id: duplicate rule id \"a\"" "$WORK/err" "duplicate id"
expect_grep "bad_many.toml:11: rule\[1\].region: region \"XYZ\"" "$WORK/err" "unknown region"
expect_grep "bad_many.toml:17: rule\[2\].until" "$WORK/err" "bad window"
expect_grep "bad_many.toml:29: rule\[4\].polygon: ring 0 vertex 3: ring not closed" "$WORK/err" "unclosed ring"
expect_grep "9 problems in" "$WORK/err" "count"
[[ ! -s "$WORK/out" ]] && pass || fail "nothing on stdout for a bad policy"
expect_exit 2 "validate missing" -- "$SKYFENCE" policy validate "$WORK/nosuch.toml"

# check one terminal: JSON.
expect_exit 0 "check kyiv" -- "$SKYFENCE" check --policy "$P" --terminal T1 --lat 50.45 --lon 30.52 --time "$T" --customer civil
expect_grep '"decision": "permit"' "$WORK/out" "kyiv permitted"
expect_grep '"matched": \[' "$WORK/out" "matched listed"
expect_exit 0 "check moscow" -- "$SKYFENCE" check --policy "$P" --terminal T2 --lat 55.75 --lon 37.62 --time "$T"
expect_grep '"decision": "deny"' "$WORK/out" "moscow denied"
expect_grep 'no-service-in-russia' "$WORK/out" "reason names the rule"
expect_exit 0 "south and west" -- "$SKYFENCE" check --policy "$P" --terminal T9 --lat=-33.9 --lon=-70.6 --time "$T"
expect_grep '"decision": "permit"' "$WORK/out" "santiago permitted"
expect_exit 0 "military outside ukraine" -- "$SKYFENCE" check --policy "$P" --terminal T4 --lat 52.23 --lon 21.01 --time "$T" --customer military
expect_grep '"decision": "deny"' "$WORK/out" "military outside denied"

# A batch: CSV, with the audit log.
expect_exit 0 "batch" -- "$SKYFENCE" check --policy "$P" --terminals "$DATA/policy/terminals.csv" --time 2026-03-01T23:00:00Z --audit "$WORK/audit.jsonl" -o "$WORK/d.csv"
[[ "$(head -n 1 "$WORK/d.csv")" == "terminal_id,provider,decision,matched_rules,reason,time_utc,lat_deg,lon_deg,speed_kmh,roaming_days" ]] && pass || fail "batch header"
[[ $(wc -l < "$WORK/d.csv") -eq 7 ]] && pass || fail "6 decisions expected"
expect_grep '^T1,starlink,permit,everywhere,' "$WORK/d.csv" "T1"
expect_grep '^T2,starlink,deny,everywhere;no-service-in-russia,' "$WORK/d.csv" "T2"
expect_grep '^T3,starlink,permit,everywhere,' "$WORK/d.csv" "T3 military in Ukraine"
expect_grep '^T4,starlink,deny,everywhere;no-military-outside-ukraine,' "$WORK/d.csv" "T4 military in Poland"
expect_grep '^T5,starlink,deny,everywhere;range-closed-2026,' "$WORK/d.csv" "T5 trial group in the closed range"
expect_grep '^T6,starlink,deny,everywhere;pacific-night-maintenance,' "$WORK/d.csv" "T6 across the antimeridian at night"
expect_grep "2 of 6 terminals permitted" "$WORK/err" "batch summary"
[[ $(wc -l < "$WORK/audit.jsonl") -eq 6 ]] && pass || fail "6 audit records"

# Append one more, verify, then tamper.
expect_exit 0 "append" -- "$SKYFENCE" check --policy "$P" --terminal T1 --lat 50.45 --lon 30.52 --time "$T" --audit "$WORK/audit.jsonl"
expect_exit 0 "verify" -- "$SKYFENCE" audit verify "$WORK/audit.jsonl"
expect_grep "7 records, chain intact, head [0-9a-f]{64}" "$WORK/out" "verify ok"
sed '3s/"decision":"permit"/"decision":"deny"/' "$WORK/audit.jsonl" > "$WORK/altered.jsonl"
expect_exit 2 "altered" -- "$SKYFENCE" audit verify "$WORK/altered.jsonl"
expect_grep "altered.jsonl:3: hash does not match" "$WORK/err" "altered line named"
sed '4d' "$WORK/audit.jsonl" > "$WORK/removed.jsonl"
expect_exit 2 "removed" -- "$SKYFENCE" audit verify "$WORK/removed.jsonl"
expect_grep "removed.jsonl:4: seq is 5, expected 4" "$WORK/err" "removal found"
awk 'NR == 5 { held = $0; next } { print } NR == 6 { print held }' "$WORK/audit.jsonl" > "$WORK/reordered.jsonl"
expect_exit 2 "reordered" -- "$SKYFENCE" audit verify "$WORK/reordered.jsonl"
expect_grep "reordered.jsonl:5: seq is 6, expected 5" "$WORK/err" "reorder found"
expect_exit 2 "audit log that cannot be read" -- "$SKYFENCE" audit verify "$WORK/no-such-log.jsonl"
expect_grep "no-such-log.jsonl: no such file" "$WORK/err" "missing log named"
mkdir -p "$WORK/a-directory.jsonl"
expect_exit 2 "audit log that is a directory" -- "$SKYFENCE" check --policy "$P" --terminal T1 --lat 50.45 --lon 30.52 --time "$T" --audit "$WORK/a-directory.jsonl"
expect_grep "a-directory.jsonl: cannot read the audit log: it is a directory" "$WORK/err" "directory named"
expect_exit 2 "refuse to append to a broken log" -- "$SKYFENCE" check --policy "$P" --terminal T1 --lat 50.45 --lon 30.52 --time "$T" --audit "$WORK/altered.jsonl"
expect_grep "refusing to append" "$WORK/err" "refusal message"
cmp -s "$WORK/altered.jsonl" <(sed '3s/"decision":"permit"/"decision":"deny"/' "$WORK/audit.jsonl") && pass || fail "broken log left untouched"
# Bug: `audit verify` exited 1 and `check --audit` 2 for the same broken log. Now one status, one message.
grep -o "altered.jsonl:3: .*" "$WORK/err" > "$WORK/check-msg"
expect_exit 2 "audit verify and check --audit agree on a broken log" -- "$SKYFENCE" audit verify "$WORK/altered.jsonl"
grep -q -F "$(sed 's/; refusing to append.*//' "$WORK/check-msg")" "$WORK/err" && pass || fail "the same message for the same broken log"

# Bug: `check --lat=50,30` was read as latitude 50, longitude 30 (and the real --lon as an altitude).
expect_exit 2 "check --lat with a comma is refused" -- "$SKYFENCE" check --policy "$P" --terminal T1 --lat=50,30 --lon 30.52 --time "$T"
expect_grep "skyfence: error: --lat: expected one number in degrees" "$WORK/err" "--lat=50,30 named"
expect_exit 2 "check --lon with a comma is refused" -- "$SKYFENCE" check --policy "$P" --terminal T1 --lat 50 --lon=30,1 --time "$T"

# Bug: check, policy validate and audit verify had no -q.
expect_exit 0 "validate -q" -- "$SKYFENCE" policy validate -q "$P"
[[ ! -s "$WORK/out" && ! -s "$WORK/err" ]] && pass || fail "policy validate -q printed something"
expect_exit 0 "verify -q" -- "$SKYFENCE" audit verify -q "$WORK/audit.jsonl"
[[ ! -s "$WORK/out" && ! -s "$WORK/err" ]] && pass || fail "audit verify -q printed something"
expect_exit 0 "check -q" -- "$SKYFENCE" check -q --policy "$P" --terminals "$DATA/policy/terminals.csv" --time "$T" -o "$WORK/q.csv"
[[ ! -s "$WORK/err" && -s "$WORK/q.csv" ]] && pass || fail "check -q printed a summary"
expect_exit 2 "validate -q still lists problems" -- "$SKYFENCE" policy validate -q "$DATA/policy/bad_many.toml"
expect_grep "skyfence: 9 problems in" "$WORK/err" "-q keeps errors"

# Bad input.
expect_exit 2 "bad policy refuses to run" -- "$SKYFENCE" check --policy "$DATA/policy/bad_many.toml" --terminal T1 --lat 1 --lon 1 --time "$T"
[[ ! -s "$WORK/out" ]] && pass || fail "no decision from a bad policy"
expect_exit 2 "bad lat" -- "$SKYFENCE" check --policy "$P" --terminal T1 --lat 91 --lon 1 --time "$T"
expect_exit 2 "bad time" -- "$SKYFENCE" check --policy "$P" --terminal T1 --lat 1 --lon 1 --time soon
expect_exit 2 "both modes" -- "$SKYFENCE" check --policy "$P" --terminal T1 --lat 1 --lon 1 --terminals "$DATA/policy/terminals.csv" --time "$T"
expect_exit 2 "neither mode" -- "$SKYFENCE" check --policy "$P" --time "$T"
expect_exit 2 "verify missing" -- "$SKYFENCE" audit verify "$WORK/nosuch.jsonl"
for c in "policy validate" check "audit verify"; do
  expect_exit 0 "help $c" -- "$SKYFENCE" $c --help
  expect_grep "Examples:" "$WORK/out" "help $c has examples"
  expect_grep "Exit status" "$WORK/out" "help $c documents exit status"
done
finish
