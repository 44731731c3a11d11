#!/usr/bin/env bash
# What one request costs the data plane, POST /predict/iris against the bare POST /echo: the node's CPU time per request
# (utime + stime of the node's process from /proc, over each wrk run, so every thread is in it: carriers, JIT, GC) and,
# with BENCH_COST_JFR=1, the bytes it allocates per request (Java Flight Recorder's allocation samples, summed by the
# run they fall in) with the allocating sites under the predict handler. Ratios of RPS swing with whatever else the
# machine runs; CPU and bytes per request swing much less, so they are what an A/B of the predict path compares.
# Also prints the version's queue_wait_seconds buckets: how many predictions waited at the admission gate.
#
# Environment (all optional): BENCH_ROUNDS=3 (echo/predict pairs)  BENCH_DURATION=8s  BENCH_WARMUP=4s (each route,
#   once)  BENCH_COST_JFR=0  BENCH_AUTH=1 (a predict token on every request)  and lib.sh's JAVA_HOME, BENCH_LIB_DIR,
#   BENCH_REBUILD, BENCH_JAVA_OPTS, CP_PORT / DP_PORT. Needs python3 for the JFR summary.
set -euo pipefail

# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ROUNDS="${BENCH_ROUNDS:-3}"
DURATION="${BENCH_DURATION:-8s}"
WARMUP="${BENCH_WARMUP:-4s}"
WITH_JFR="${BENCH_COST_JFR:-0}"
BODY='{"inputs":[5.1,3.5,1.4,0.2]}'
need curl wrk awk python3

trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

make_out_dir cost
find_java
ensure_dist
if [ "$WITH_JFR" = 1 ]; then
    mkdir -p "$OUT_DIR/jfr"
    jfr_opt="-XX:StartFlightRecording=settings=profile,filename=$OUT_DIR/jfr/,dumponexit=true"
    BENCH_JAVA_OPTS="${BENCH_JAVA_OPTS:-} $jfr_opt"
    export BENCH_JAVA_OPTS
fi
start_stack
register_model iris "$REPO/fixtures/models/iris.onnx"
wait_200 "$DP_URL/predict/iris" "$BODY" 120

PHASES="$OUT_DIR/phases.txt"
: >"$PHASES"
wrk_post warmup-echo "$DP_URL/echo" "$WARMUP" 2 50 "$BODY"
wrk_post warmup-predict "$DP_URL/predict/iris" "$WARMUP" 2 50 "$BODY"
for r in $(seq 1 "$ROUNDS"); do
    for ep in echo predict; do
        if [ "$ep" = echo ]; then url="$DP_URL/echo"; else url="$DP_URL/predict/iris"; fi
        load="$(cut -d' ' -f1 /proc/loadavg)"
        c0="$(cpu_ticks "$DP_PID")"
        t0="$(date +%s%N)"
        wrk_post "$ep-$r" "$url" "$DURATION" 2 50 "$BODY"
        t1="$(date +%s%N)"
        c1="$(cpu_ticks "$DP_PID")"
        [ "$(result_field status_errors "$WRK_RESULT")" = 0 ] || die "$ep round $r got non-2xx answers"
        echo "$ep $r $t0 $t1 $(result_field requests "$WRK_RESULT") $(result_field rps "$WRK_RESULT") $c0 $c1 $load" \
            >>"$PHASES"
    done
done
WAITS="$(dp_curl -s --max-time 10 "$DP_URL/metrics" | grep -E '^queue_wait_seconds_(bucket|count)\{model="iris"' \
    | grep -E 'le="1.0E-4"|le="0.001"|_count' || true)"

echo "### Cost per request, POST /predict/iris vs POST /echo ($(env_summary); wrk -t2 -c50 -d$DURATION," \
    "$ROUNDS round(s) after a $WARMUP warm-up of each; predictions $(auth_summary))"
echo
echo "| run | round | RPS | node CPU µs / request | load average before |"
echo "|---|---:|---:|---:|---:|"
awk -v t="$CLK_TCK" '{ printf "| %s | %s | %.0f | %.1f | %s |\n", $1, $2, $6, ($8 - $7) / t * 1e6 / $5, $9 }' "$PHASES"
echo
awk -v t="$CLK_TCK" '{ n[$1] += $5; c[$1] += ($8 - $7); d[$1] += ($4 - $3) }
    END { e = c["echo"] / t * 1e6 / n["echo"]; p = c["predict"] / t * 1e6 / n["predict"]
          printf "All rounds: echo %.1f µs, predict %.1f µs of node CPU per request (predict / echo %.2f); " \
              "RPS ratio %.2f\n",
              e, p, p / e, (n["predict"] / d["predict"]) / (n["echo"] / d["echo"]) }' "$PHASES"
echo
echo "Predictions that waited at the admission gate (cumulative, warm-ups included):"
echo
echo '```'
echo "${WAITS:-(no queue_wait_seconds series)}"
echo '```'

if [ "$WITH_JFR" = 1 ]; then
    pid="$DP_PID"
    stop_pid "$DP_PID" "data plane"
    DP_PID=""
    REC="$(ls "$OUT_DIR"/jfr/*pid-"$pid"-*.jfr 2>/dev/null | head -n 1 || true)"
    [ -n "$REC" ] || die "no data-plane recording (pid $pid) in $OUT_DIR/jfr"
    "$(dirname "$JAVA")/jfr" print --json --stack-depth 64 --events jdk.ObjectAllocationSample "$REC" \
        >"$OUT_DIR/alloc.json"
    echo
    python3 - "$OUT_DIR/alloc.json" "$PHASES" <<'PY'
import collections, datetime, json, re, sys

def ns(stamp):  # JFR's ISO-8601 time with an offset and up to nanoseconds
    m = re.match(r'(.*?T\d\d:\d\d:\d\d)(\.\d+)?(Z|[+-]\d\d:\d\d)$', stamp)
    zone = '+00:00' if m.group(3) == 'Z' else m.group(3)
    whole = datetime.datetime.fromisoformat(m.group(1) + zone).timestamp()
    return int(whole) * 10**9 + int(float(m.group(2) or '0') * 1e9)

phases = [l.split() for l in open(sys.argv[2])]
requests = collections.Counter()
for p in phases:
    requests[p[0]] += int(p[4])
total = collections.Counter()
sites = collections.Counter()
for e in json.load(open(sys.argv[1]))['recording']['events']:
    t = ns(e['values']['startTime'])
    run = next((p[0] for p in phases if int(p[2]) <= t <= int(p[3])), None)
    if run is None:
        continue
    w = e['values']['weight']
    total[run] += w
    frames = [f['method']['type']['name'] + '.' + f['method']['name']
              for f in (e['values'].get('stackTrace') or {}).get('frames', [])]
    own = [f for f in frames if 'modelmesh' in f]
    if run == 'predict' and own:
        sites[own[0]] += w
print('| run | bytes allocated per request (JFR allocation samples) |')
print('|---|---:|')
for run in ('echo', 'predict'):
    print(f'| {run} | {total[run] / max(1, requests[run]):,.0f} |')
print()
print('Predict: bytes per request by the innermost ModelMesh frame (what it and the library code it called allocated):')
print()
print('| bytes / request | frame |')
print('|---:|---|')
for frame, w in sites.most_common(15):
    print(f'| {w / requests["predict"]:,.0f} | `{frame}` |')
PY
fi
