#!/usr/bin/env bash
# The command line as a user runs it from a shell, against the Node `ws` demo server with and
# without its `error` listener: exit codes, the report naming the case that killed the server,
# waivers, --strict, baselines, JUnit XML and bad flags. Run by `mvn verify` (cli module,
# integration-test phase) with the jar and a scratch directory; fails on the first broken promise.
set -uo pipefail

jar="$1"
work="$2"
here="$(cd "$(dirname "$0")" && pwd)"
node_dir="$(cd "$here/../../../../demo-tests/node" && pwd)"
rm -rf "$work" && mkdir -p "$work"
cd "$work"

# The demo server's packages: installed by the demo-tests build, or here when only this module runs.
if [ ! -d "$node_dir/node_modules/ws" ]; then
  (cd "$node_dir" && npm ci --no-audit --no-fund --loglevel=error) || exit 1
fi

healthy="node $node_dir/echo-server.js {port}"
dying="node $node_dir/echo-server.js {port} --no-error-listener"
failures=0

# run NAME EXPECTED-EXIT ARGS...: runs the jar, keeps its output in NAME.out, checks the exit code.
run() {
  local name="$1" expected="$2"
  shift 2
  java -jar "$jar" "$@" > "$name.out" 2>&1
  local code=$?
  if [ "$code" -ne "$expected" ]; then
    echo "FAIL $name: exit code $code, expected $expected; its output:"
    sed 's/^/    /' "$name.out" | tail -40
    failures=$((failures + 1))
  else
    echo "ok   $name: exit code $code"
  fi
}

# expect NAME TEXT: NAME.out must contain TEXT.
expect() {
  if grep -qF -- "$2" "$1.out"; then
    echo "ok   $1: says '$2'"
  else
    echo "FAIL $1: does not say '$2'; its output:"
    sed 's/^/    /' "$1.out" | tail -40
    failures=$((failures + 1))
  fi
}

# Sections 1 to 5: every case where `ws` detects a violation in its own parser is among them.
cases=(--sections 1,2,3,4,5)

run healthy 0 --name "node ws" --launch "$healthy" --ready listening "${cases[@]}" \
  --report healthy-report --junit-xml healthy-xml
expect healthy "Passed: 64 cases."

run dying 1 --name "node ws" --launch "$dying" --ready listening "${cases[@]}" \
  --report dying-report --junit-xml dying-xml
expect dying "DIED  node ws  2.5 — ping, 126 bytes (over the control frame maximum): the server process died during this case"
if grep -q '"id": "2.5"' dying-report/report.json && grep -q 'DIED' dying-report/report.json; then
  echo "ok   dying: report.json names 2.5 and DIED"
else
  echo "FAIL dying: report.json does not name the case that killed the server"
  failures=$((failures + 1))
fi
if grep -q 'failures="30"' dying-xml/TEST-junit-jupiter.xml; then
  echo "ok   dying: JUnit XML counts 30 failures"
else
  echo "FAIL dying: JUnit XML does not count 30 failures: $(grep -o 'failures="[0-9]*"' dying-xml/*.xml | head -1)"
  failures=$((failures + 1))
fi

# The demo's waiver file, which waives every death of this server with its reason: a green run.
run waived 0 --name "node ws" --launch "$dying" --ready listening "${cases[@]}" \
  --waivers "$node_dir/../src/test/resources/waivers/node-ws-no-error-listener.txt"

# ws checks UTF-8 once a message is complete: NON-STRICT on 6.4.1, which only --strict fails.
run lenient 0 --launch "$healthy" --ready listening --cases 6.4.1
run strict 1 --launch "$healthy" --ready listening --cases 6.4.1 --strict
expect strict "NON-STRICT"

# Baselines: the dying server's deviations, once recorded, pass; a new deviation fails.
run write-baseline 1 --name "node ws" --launch "$dying" --ready listening --sections 1,2 \
  --write-baseline known.tsv
run known-deviation 0 --name "node ws" --launch "$dying" --ready listening --sections 1,2 \
  --baseline known.tsv
expect known-deviation "Passed: no case got worse than the baseline"
run write-clean-baseline 0 --name "node ws" --launch "$healthy" --ready listening --sections 1,2 \
  --write-baseline clean.tsv
run new-deviation 1 --name "node ws" --launch "$dying" --ready listening --sections 1,2 \
  --baseline clean.tsv
expect new-deviation "Worse than the baseline: node ws  2.5: OK → DIED"
run fixed-deviation 0 --name "node ws" --launch "$healthy" --ready listening --sections 1,2 \
  --baseline known.tsv
expect fixed-deviation "Better than the baseline: node ws  2.5: DIED → OK"

# Bad usage: exit 2 and one sentence naming the flag.
run unknown-flag 2 --uri ws://127.0.0.1:9/ --colour
expect unknown-flag "'--colour' is not an option; run with --help to see the options"
run http-uri 2 --uri http://127.0.0.1:9/
expect http-uri "--uri http://127.0.0.1:9/: "
run no-server 2 --sections 1
expect no-server "no server to test; give --uri ws://host:port/path or --launch \"command {port}\""
run bad-section 2 --uri ws://127.0.0.1:9/ --sections framing
expect bad-section "--sections framing has 'framing', which is no top section"
run missing-baseline 2 --uri ws://127.0.0.1:9/ --baseline nowhere.tsv
expect missing-baseline "--baseline nowhere.tsv is not a file; write one first with --write-baseline"
run unknown-case 2 --uri ws://127.0.0.1:9/ --cases 99.1
expect unknown-case "'99.1' matches no catalogue case"

# Nothing to test: one line saying why, exit 1.
run no-such-program 1 --launch "no-such-program {port}" --sections 1
expect no-such-program "no case ran: could not start the server process"
run nobody-listens 1 --uri ws://127.0.0.1:9/ --sections 1 --deadline 2s
expect nobody-listens "no case ran: the server at ws://127.0.0.1:9/ does not serve before any catalogue case ran"

if [ "$failures" -ne 0 ]; then
  echo "cli-from-a-shell: $failures checks failed (outputs in $work)"
  exit 1
fi
echo "cli-from-a-shell: every check passed"
