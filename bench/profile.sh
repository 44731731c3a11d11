#!/usr/bin/env bash
# Where a prediction's time goes: starts the stack with Java Flight Recorder (profile settings) on both servers,
# registers iris (or the heavy MLP), optionally sets a serving policy or the prediction cache, drives POST
# /predict/MODEL with wrk, and prints JFR's own views of the data plane's recording: hot methods (CPU samples of Java
# code), native methods (samples of threads inside native code: the engine) and allocation by site.
#
# Environment (all optional): BENCH_DURATION=20s  BENCH_CONNECTIONS=50  BENCH_CACHE_TTL=0 (seconds; > 0 profiles the
#   cache-hit path)  BENCH_AUTH=1 (predictions with a predict token, nodes refusing anonymous ones)  JAVA_HOME
#   BENCH_REBUILD=1  BENCH_PROFILE_MODEL=iris|batchy (batchy: the heavy MLP, generated when missing, one row of 64
#   floats)  BENCH_PROFILE_POLICY='"max_batch_size":64,"max_latency_ms":2' (serving policy fields set before the run)
set -euo pipefail

# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

DURATION="${BENCH_DURATION:-20s}"
CONNS="${BENCH_CONNECTIONS:-50}"
TTL="${BENCH_CACHE_TTL:-0}"
MODEL="${BENCH_PROFILE_MODEL:-iris}"
POLICY="${BENCH_PROFILE_POLICY:-}"
BODY='{"inputs":[5.1,3.5,1.4,0.2]}'
[ "$MODEL" = iris ] || [ "$MODEL" = batchy ] || die "BENCH_PROFILE_MODEL must be iris or batchy, got '$MODEL'"
[ "$MODEL" = iris ] || BODY="$BATCHY_BODY"
need curl wrk awk

trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

make_out_dir profile
find_java
ensure_dist
JFR_DIR="$OUT_DIR/jfr"
mkdir -p "$JFR_DIR"
BENCH_JAVA_OPTS="${BENCH_JAVA_OPTS:-} -XX:StartFlightRecording=settings=profile,filename=$JFR_DIR/,dumponexit=true"
export BENCH_JAVA_OPTS
[ "$MODEL" = iris ] || ensure_batchy
start_stack

if [ "$MODEL" = iris ]; then
    register_model iris "$REPO/fixtures/models/iris.onnx"
else
    register_model batchy "$BATCHY_FILE"
fi
wait_200 "$DP_URL/predict/$MODEL" "$BODY" 120
fields="$POLICY"
if [ "$TTL" != 0 ]; then
    fields="${fields:+$fields,}\"cache_ttl_seconds\":$TTL"
fi
[ -z "$fields" ] || deploy_policy "$MODEL" 1.0.0 "$fields"
log "wrk -t2 -c$CONNS -d$DURATION POST /predict/$MODEL (policy {$fields}; predictions $(auth_summary))"
WRK_BODY="$BODY" WRK_TOKEN_FILE="$PREDICT_TOKEN_FILE" wrk -t2 -c"$CONNS" -d"$DURATION" --latency \
    -s "$REPO/bench/post.lua" "$DP_URL/predict/$MODEL" >"$OUT_DIR/wrk.txt" 2>&1
grep -E "Requests/sec" "$OUT_DIR/wrk.txt" >&2
if ! grep -q '^BENCH_RESULT .* status_errors=0 ' "$OUT_DIR/wrk.txt"; then
    cat "$OUT_DIR/wrk.txt" >&2
    die "wrk got non-2xx answers or failed (output above): the profile would not be of the prediction path"
fi

# stop the data plane so it dumps its recording (JFR names files after the pid)
pid="$DP_PID"
stop_pid "$DP_PID" "data plane"
DP_PID=""
REC="$(ls "$JFR_DIR"/*pid-"$pid"-*.jfr 2>/dev/null | head -n 1 || true)"
[ -n "$REC" ] || die "no data-plane recording (pid $pid) in $JFR_DIR"
JFR="$(dirname "$JAVA")/jfr"
echo "### Data plane profile, $MODEL ($(env_summary); wrk -t2 -c$CONNS -d$DURATION; policy {$fields}; predictions $(auth_summary))"
echo
echo '```'
"$JFR" view --width 160 hot-methods "$REC" | head -40
echo
"$JFR" view --width 160 native-methods "$REC" | head -20
echo
"$JFR" view --width 160 allocation-by-site "$REC" | head -30
echo '```'
log "recording: $REC"
