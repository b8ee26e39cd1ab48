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
expect_grep "^skyfence: 13 problems in .*bad.toml$" "$WORK/err" "all problems counted"
[[ $(grep -cE "^skyfence: error: .*bad.toml:[0-9]+: " "$WORK/err") -eq 13 ]] && pass || fail "every problem on its own line"
expect_grep "bad.toml:21: provider\[1\].isl" "$WORK/err" "problem located"
[[ ! -e "$WORK/bad" ]] && pass || fail "a bad scenario wrote a folder"
expect_exit 2 "missing scenario" -- "$SKYFENCE" run "$WORK/none.toml"

# Bug: `run -o mydocs` replaced a user's folder and the user's file was gone. Now refused (exit 2) before
# any computation, the folder untouched.
mkdir -p "$WORK/mydocs"; echo "my thesis" > "$WORK/mydocs/thesis.txt"
SECONDS=0
expect_exit 2 "-o onto a user's folder is refused" -- "$SKYFENCE" run "$SC" -o "$WORK/mydocs"
expect_grep "skyfence: error: --output: .*mydocs\" exists and is not a skyfence results folder" "$WORK/err" "refusal names the folder"
[[ "$(cat "$WORK/mydocs/thesis.txt")" == "my thesis" && $(ls -A "$WORK/mydocs" | wc -l) -eq 1 ]] && pass || fail "the user's folder was changed"
ls "$WORK" | grep -qE "^mydocs\.(tmp|old)-" && fail "staging folder left beside mydocs" || pass
grep -q "run \[" "$WORK/err" && fail "computed before refusing" || pass
: > "$WORK/afile"
expect_exit 2 "-o onto a file is refused" -- "$SKYFENCE" run "$SC" -o "$WORK/afile"
mkdir -p "$WORK/empty"
expect_exit 2 "-o onto an empty folder is refused" -- "$SKYFENCE" run "$SC" -o "$WORK/empty"
# A previous results folder carries the marks and is replaced.
[[ -s "$WORK/res/skyfence-results.json" ]] && pass || fail "no manifest in the results folder"
expect_grep '"format": "skyfence-results"' "$WORK/res/skyfence-results.json" "manifest format"
/usr/bin/python3 -c "import sqlite3,sys; sys.exit(0 if sqlite3.connect(sys.argv[1]).execute('pragma application_id').fetchone()[0] == 0x536B7946 else 1)" "$WORK/res/results.sqlite" && pass || fail "results.sqlite lacks the application id"

# Bug: `-o DIR/` (a trailing slash) failed with exit 1 after the whole computation.
expect_exit 0 "-o with a trailing slash" -- "$SKYFENCE" run "$SC" -o "$WORK/slash/" -q
[[ -s "$WORK/slash/results.sqlite" && -s "$WORK/slash/report.html" ]] && pass || fail "-o DIR/ wrote no folder"
ls -A "$WORK/slash" | grep -q "tmp-" && fail "staging folder inside DIR/" || pass
expect_exit 0 "-o with a trailing slash again replaces it" -- "$SKYFENCE" run "$SC" -o "$WORK/slash/" -q

# Stale staging folders of a killed run: removed when recognisably ours and the process is gone;
# anything else of that name is reported and left alone.
mkdir -p "$WORK/res.tmp-99999999" "$WORK/res.tmp-99999998"
echo '{"format": "skyfence-results", "state": "staging"}' > "$WORK/res.tmp-99999999/skyfence-results.json"
echo "not ours" > "$WORK/res.tmp-99999998/notes.txt"
expect_exit 0 "run cleans stale staging" -- "$SKYFENCE" run "$SC" -o "$WORK/res" -q
[[ ! -e "$WORK/res.tmp-99999999" ]] && pass || fail "stale staging folder of a dead run left"
[[ -s "$WORK/res.tmp-99999998/notes.txt" ]] && pass || fail "an unrecognised folder was removed"
expect_grep "res.tmp-99999998\" looks like the staging folder of a run that did not finish" "$WORK/err" "unrecognised folder reported"
rm -rf "$WORK/res.tmp-99999998"

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
