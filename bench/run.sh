#!/usr/bin/env bash
# Throughput benchmark: POST /predict/iris (Helidon + routing + ONNX Runtime) against POST /echo (the bare Helidon route on
# the same data plane), alternated echo/predict/echo/predict with the same wrk settings. Prints a markdown table on
# stdout; logs, raw wrk output and results.md go to bench/out/run-YYYYmmdd-HHMMSS/.
#
# Environment (all optional):
#   BENCH_THREADS=2  BENCH_CONNECTIONS=50  BENCH_DURATION=15s  BENCH_ROUNDS=2  BENCH_WARMUP=5s (0 = none)
#   BENCH_BODY='{"inputs":[5.1,3.5,1.4,0.2]}'   BENCH_MODEL=fixtures/models/iris.onnx   BENCH_MODEL_NAME=iris
#   JAVA_HOME (a JDK >= 21)  BENCH_REBUILD=1 (rebuild dist)  BENCH_JAVA_OPTS='-Xmx1g'  CP_PORT / DP_PORT (default free)
#   MMCTL=path/to/mmctl (register with mmctl instead of curl)  BENCH_START_TIMEOUT=180  BENCH_KEEP_HOME=1
set -euo pipefail

# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

THREADS="${BENCH_THREADS:-2}"
CONNS="${BENCH_CONNECTIONS:-50}"
DURATION="${BENCH_DURATION:-15s}"
ROUNDS="${BENCH_ROUNDS:-2}"
WARMUP="${BENCH_WARMUP:-5s}"
DEFAULT_BODY='{"inputs":[5.1,3.5,1.4,0.2]}'
BODY="${BENCH_BODY:-$DEFAULT_BODY}"
MODEL_FILE="${BENCH_MODEL:-$REPO/fixtures/models/iris.onnx}"
MODEL_NAME="${BENCH_MODEL_NAME:-iris}"

need curl wrk python3 awk
[ -f "$MODEL_FILE" ] || die "$MODEL_FILE is missing; run: /usr/bin/python3 fixtures/make_fixtures.py"
[[ "$ROUNDS" =~ ^[1-9][0-9]*$ ]] || die "BENCH_ROUNDS must be a positive integer, got '$ROUNDS'"

trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

make_out_dir run
find_java
ensure_dist
start_stack

PREDICT_URL="$DP_URL/predict/$MODEL_NAME"
ECHO_URL="$DP_URL/echo"

log "registering $MODEL_NAME from $MODEL_FILE"
register_model "$MODEL_NAME" "$MODEL_FILE"
log "waiting for $PREDICT_URL to answer 200"
wait_200 "$PREDICT_URL" "$BODY" 120
curl -sS --max-time 10 -H 'Content-Type: application/json' -d "$BODY" "$PREDICT_URL" >"$OUT_DIR/predict-sample.json"
log "sample prediction: $(head -c 400 "$OUT_DIR/predict-sample.json")"
code="$(post_code "$ECHO_URL" "$BODY")"
[ "$code" = 200 ] || die "POST $ECHO_URL answered HTTP $code; the data plane must mount /echo when started with --echo-route"

# run_wrk LABEL URL DURATION -> sets RESULT to the BENCH_RESULT line (fields key=value)
RESULT=""
run_wrk() {
    local label="$1" url="$2" dur="$3" outf="$OUT_DIR/wrk-$1.txt"
    log "wrk -t$THREADS -c$CONNS -d$dur --latency POST $url ($label)"
    # in the background + wait: wrk catches SIGINT and exits 0, which would hide a Ctrl-C from this script's trap
    WRK_BODY="$BODY" wrk -t"$THREADS" -c"$CONNS" -d"$dur" --latency -s "$REPO/bench/post.lua" "$url" >"$outf" 2>&1 &
    WRK_PID=$!
    local rc=0
    wait "$WRK_PID" || rc=$?
    WRK_PID=""
    if [ "$rc" != 0 ]; then
        cat "$outf" >&2
        die "wrk failed for $label (exit $rc, output above)"
    fi
    RESULT="$(grep '^BENCH_RESULT ' "$outf" || true)"
    [ -n "$RESULT" ] || { cat "$outf" >&2; die "wrk printed no BENCH_RESULT line for $label (is bench/post.lua intact?)"; }
    kill -0 "$DP_PID" 2>/dev/null || die "the data plane died during $label; see $OUT_DIR/dataplane.log"
}

# field NAME LINE -> value of NAME=value in a BENCH_RESULT line
field() { printf '%s\n' "$2" | tr ' ' '\n' | awk -F= -v k="$1" '$1 == k {print $2}'; }

if [ "$WARMUP" != 0 ] && [ "$WARMUP" != 0s ]; then
    run_wrk warmup-echo "$ECHO_URL" "$WARMUP"
    run_wrk warmup-predict "$PREDICT_URL" "$WARMUP"
fi

declare -a ROWS=()
BAD=0
for r in $(seq 1 "$ROUNDS"); do
    for ep in echo predict; do
        if [ "$ep" = echo ]; then url="$ECHO_URL"; else url="$PREDICT_URL"; fi
        run_wrk "$ep-$r" "$url" "$DURATION"
        st="$(field status_errors "$RESULT")"
        sock=$(($(field connect_errors "$RESULT") + $(field read_errors "$RESULT") + $(field write_errors "$RESULT") + $(field timeouts "$RESULT")))
        if [ "$st" -gt 0 ]; then
            BAD=1
            log "WARNING: $ep round $r got $st non-2xx answers; its RPS is not a valid result (see $OUT_DIR/wrk-$ep-$r.txt)"
        fi
        ROWS+=("$ep $r $(field requests "$RESULT") $(field duration_us "$RESULT") $(field p50_us "$RESULT") $(field p99_us "$RESULT") $st $sock")
    done
done

# ---- report ------------------------------------------------------------------------------------------------------
REPORT="$OUT_DIR/results.md"
{
    echo "### Throughput: POST /predict/$MODEL_NAME vs POST /echo"
    echo
    echo "$(env_summary); wrk -t$THREADS -c$CONNS -d$DURATION --latency, $ROUNDS round(s) alternating echo/predict after a ${WARMUP} warm-up of each; body \`$BODY\`; wrk and both servers share the machine."
    echo
    echo "| run | round | RPS | p50 ms | p99 ms | requests | non-2xx | socket errors |"
    echo "|---|---:|---:|---:|---:|---:|---:|---:|"
    for row in "${ROWS[@]}"; do
        # shellcheck disable=SC2086 # row is a space-separated record
        set -- $row
        awk -v ep="$1" -v r="$2" -v n="$3" -v d="$4" -v p50="$5" -v p99="$6" -v st="$7" -v so="$8" \
            'BEGIN { printf "| %s | %d | %.0f | %.2f | %.2f | %d | %d | %d |\n", ep, r, n / (d / 1e6), p50 / 1000, p99 / 1000, n, st, so }'
    done
    echo
    echo "| summary | echo | predict | predict / echo |"
    echo "|---|---:|---:|---:|"
    printf '%s\n' "${ROWS[@]}" | awk '
        { n[$1] += $3; d[$1] += $4; p50[$1] += $5; p99[$1] += $6; c[$1]++ }
        END {
            er = n["echo"] / (d["echo"] / 1e6); pr = n["predict"] / (d["predict"] / 1e6)
            e50 = p50["echo"] / c["echo"] / 1000; q50 = p50["predict"] / c["predict"] / 1000
            e99 = p99["echo"] / c["echo"] / 1000; q99 = p99["predict"] / c["predict"] / 1000
            printf "| RPS (all rounds) | %.0f | %.0f | %.2f |\n", er, pr, pr / er
            printf "| p50 ms (mean of rounds) | %.2f | %.2f | %.2f |\n", e50, q50, (e50 > 0 ? q50 / e50 : 0)
            printf "| p99 ms (mean of rounds) | %.2f | %.2f | %.2f |\n", e99, q99, (e99 > 0 ? q99 / e99 : 0)
        }'
    echo
    printf 'Per-round RPS ratio predict/echo:'
    printf '%s\n' "${ROWS[@]}" | awk '
        { rps[$1 " " $2] = $3 / ($4 / 1e6); if ($2 > m) m = $2 }
        END { for (r = 1; r <= m; r++) printf "%s%.2f", (r > 1 ? ", " : " "), rps["predict " r] / rps["echo " r]; print "" }'
    if [ "$BAD" = 1 ]; then
        echo
        echo "**INVALID: some runs got non-2xx answers (see the non-2xx column); fix the server before using these numbers.**"
    fi
} >"$REPORT"

cat "$REPORT"
[ "$BAD" = 0 ] || die "some runs got non-2xx answers; the table above is not a valid result"
