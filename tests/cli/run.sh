# skyfence run: a small scenario to a results folder (store, exports, report), --check, bad scenarios
# with every problem listed, and an interrupted run that leaves no folder.
source "$(dirname "$0")/lib.bash"
SC="$DATA/scenario/small.toml"

expect_exit 0 "check" -- "$SKYFENCE" run "$SC" --check
expect_grep "is valid: 2 provider\(s\), 2 terminal group\(s\), 4 variant\(s\), 24 steps" "$WORK/out" "check summary"
[[ ! -e results ]] && pass || fail "--check wrote results"

expect_exit 0 "run" -- "$SKYFENCE" run "$SC" -o "$WORK/res"
for f in report.html results.sqlite csv/cell_stats.csv csv/reliance.csv geojson/cells.geojson; do
  [[ -s "$WORK/res/$f" ]] && pass || fail "missing $f"
done
expect_grep "results in .*/res/: report.html, results.sqlite" "$WORK/err" "where the results are"
expect_grep "region Moldova" "$WORK/err" "summary names the region"
ls "$WORK" | grep -qE "tmp-|old-" && fail "staging folder left behind" || pass
/usr/bin/python3 - "$WORK/res/results.sqlite" <<'PY' && pass || fail "results.sqlite content"
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
tables = {r[0] for r in db.execute("select name from sqlite_master where type = 'table'")}
assert {'runs', 'providers', 'variants', 'cells', 'cell_stats', 'terminals', 'reliance'} <= tables, tables
assert db.execute("select count(*) from variants").fetchone()[0] == 5
assert db.execute("select count(*) from providers").fetchone()[0] == 3
PY
grep -qE 'src="https?:|href="https?:' "$WORK/res/report.html" && fail "report.html references the network" || pass

# The same scenario again replaces the folder; one thread gives the same tables.
expect_exit 0 "rerun, one thread" -- "$SKYFENCE" run "$SC" -o "$WORK/res" --threads 1 -q
expect_exit 0 "run two threads" -- "$SKYFENCE" run "$SC" -o "$WORK/res2" --threads 2 -q
for t in cell_stats reliance terminal_service timeseries; do
  cmp -s "$WORK/res/csv/$t.csv" "$WORK/res2/csv/$t.csv" && pass || fail "$t.csv differs between thread counts"
done

# A bad scenario: every problem, with lines; nothing written.
expect_exit 2 "bad scenario" -- "$SKYFENCE" run "$DATA/scenario/bad.toml" -o "$WORK/bad"
expect_grep "13 problem\(s\) in the scenario" "$WORK/err" "all problems counted"
expect_grep "bad.toml:21: provider\[1\].isl" "$WORK/err" "problem located"
[[ ! -e "$WORK/bad" ]] && pass || fail "a bad scenario wrote a folder"
expect_exit 2 "missing scenario" -- "$SKYFENCE" run "$WORK/none.toml"

# Bug: `skyfence run` dropped the load warnings every other command prints; it now prints them and
# counts them in results.sqlite's load_issues.
expect_exit 0 "run with load issues" -- "$SKYFENCE" run "$DATA/scenario/issues.toml" -o "$WORK/issues" -q
expect_grep "^skyfence: warning: few-iridium: .*issues.tle:18: .*\(record skipped\)" "$WORK/err" "rejected record warned"
expect_grep "^skyfence: warning: few-iridium: .*left out NORAD 41920 FENGYUN 1C DEB: debris" "$WORK/err" "debris warned"
/usr/bin/python3 - "$WORK/issues/results.sqlite" <<'PY' && pass || fail "load_issues in results.sqlite"
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
row = db.execute("select records_rejected, non_payloads_left_out, duplicates_dropped from load_issues").fetchall()
assert row == [(1, 2, 1)], row
PY

# Ctrl-C: exit 130, no folder, no staging folder.
mkdir "$WORK/sc"
cp "$DATA/scenario/iridium.toml" "$DATA"/scenario/terminals_*.csv "$WORK/sc/"
sed 's/duration = "2h"/duration = "30d"/; s/step = "5m"/step = "10s"/' "$SC" > "$WORK/sc/long.toml"
expect_interrupted 4 "$WORK/long" "run" -- "$SKYFENCE" run "$WORK/sc/long.toml" -o "$WORK/long"

expect_exit 0 "help" -- "$SKYFENCE" run --help
expect_grep "Examples:" "$WORK/out" "help has examples"
finish
