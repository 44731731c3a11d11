#!/usr/bin/env bash
# Overload with default serving settings (issue 11, item 1). Starts a control plane and one data plane under a throw-away
# MM_HOME, registers the heavy MLP bench/models/batchy.onnx (64 -> 1024 -> 1024 -> 1024 -> 10, generated when missing)
# with the default serving policy (no batching, the node's default admission limits and deadline), then:
#   1. sweep: wrk at a few connection counts (BENCH_SWEEP, default 8,32,64) -> the best throughput of 200 answers;
#   2. storm: wrk with BENCH_STORM_CONNECTIONS (512) connections -> p99 of ALL answers (200, 429 and 503 alike),
#      goodput (200 answers per second) against the best, the node's peak RSS (sampled every 200 ms);
#   3. right after the storm: BENCH_PROBES (5) single requests, one after the other, timed by curl.
# Targets: p99 of all answers < 1 s, goodput >= 90 % of the best throughput, peak RSS < 1.5 GiB, the first request
# after the storm answered 200 in < 200 ms. Prints a markdown section on stdout (also in bench/out/overload-*/results.md).
#
# Environment (all optional): BENCH_DURATION=20s (each measured run)  BENCH_WARMUP=5s  BENCH_SWEEP=8,32,64
#   BENCH_STORM_CONNECTIONS=512  BENCH_STORM_AGAIN=0 (1: after the probes, a second storm of the same length, reported
#   on its own row: the first storm meets 512 new connections on a node that has never seen them, the second the same
#   node warm; the targets are judged on the first)  BENCH_THREADS=2  BENCH_WRK_TIMEOUT=10s (answers slower than this count as wrk
#   timeouts, not latencies)  BENCH_PROBES=5  BENCH_STRICT=1 (exit 1 when a target is not met)
#   and lib.sh's JAVA_HOME  BENCH_REBUILD  BENCH_JAVA_OPTS  BENCH_AUTH  CP_PORT / DP_PORT  BENCH_KEEP_HOME
set -euo pipefail

# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

DURATION="${BENCH_DURATION:-20s}"
WARMUP="${BENCH_WARMUP:-5s}"
SWEEP="${BENCH_SWEEP:-8,32,64}"
STORM="${BENCH_STORM_CONNECTIONS:-512}"
THREADS="${BENCH_THREADS:-2}"
WRK_TIMEOUT="${BENCH_WRK_TIMEOUT:-10s}"
PROBES="${BENCH_PROBES:-5}"
AGAIN="${BENCH_STORM_AGAIN:-0}"
STRICT="${BENCH_STRICT:-0}"
need curl wrk python3 awk
[[ "$SWEEP" =~ ^[1-9][0-9]*(,[1-9][0-9]*)*$ ]] || die "BENCH_SWEEP must be a comma list of connection counts, got '$SWEEP'"
[[ "$STORM" =~ ^[1-9][0-9]*$ ]] || die "BENCH_STORM_CONNECTIONS must be a positive integer, got '$STORM'"
[[ "$PROBES" =~ ^[1-9][0-9]*$ ]] || die "BENCH_PROBES must be a positive integer, got '$PROBES'"

trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

make_out_dir overload
find_java
ensure_dist
ensure_batchy
start_stack
URL="$DP_URL/predict/batchy"
register_model batchy "$BATCHY_FILE"
wait_200 "$URL" "$BATCHY_BODY" 120
POLICY="$(curl -s "$DP_URL/health" >/dev/null; cp_curl -s "$CP_URL/deployments/batchy" | python3 -c 'import json, sys
print(json.dumps(json.load(sys.stdin)["route"]["policy"], separators=(",", ":")))')"
log "batchy serves with the policy $POLICY"

# ok_rps LINE -> 2xx answers per second of a BENCH_RESULT line
ok_rps() { awk -v r="$(result_field requests "$1")" -v e="$(result_field status_errors "$1")" \
    -v d="$(result_field duration_us "$1")" 'BEGIN { printf "%.0f", (r - e) / (d / 1e6) }'; }
all_rps() { awk -v r="$(result_field requests "$1")" -v d="$(result_field duration_us "$1")" \
    'BEGIN { printf "%.0f", r / (d / 1e6) }'; }
ms() { awk -v u="$1" 'BEGIN { printf "%.1f", u / 1000 }'; }
socket_errors() { echo $(($(result_field connect_errors "$1") + $(result_field read_errors "$1") \
    + $(result_field write_errors "$1") + $(result_field timeouts "$1"))); }
verdict() { if awk -v a="$1" -v b="$2" -v op="$3" 'BEGIN { exit !(op == "<" ? a < b : a >= b) }'; then echo Met; else echo "NOT met"; fi; }

if [ "$WARMUP" != 0 ] && [ "$WARMUP" != 0s ]; then
    wrk_post warmup "$URL" "$WARMUP" "$THREADS" 64 "$BATCHY_BODY" "$WRK_TIMEOUT"
fi

# ---- 1. sweep ---------------------------------------------------------------------------------------------------
declare -a ROWS=()
BEST=0
BEST_AT=""
IFS=',' read -r -a SWEEP_CONNS <<<"$SWEEP"
for c in "${SWEEP_CONNS[@]}"; do
    wrk_post "sweep-c$c" "$URL" "$DURATION" "$THREADS" "$c" "$BATCHY_BODY" "$WRK_TIMEOUT"
    ok="$(ok_rps "$WRK_RESULT")"
    ROWS+=("| sweep | $c | $(all_rps "$WRK_RESULT") | $ok | $(result_field status_errors "$WRK_RESULT") | $(socket_errors "$WRK_RESULT") | $(ms "$(result_field p50_us "$WRK_RESULT")") | $(ms "$(result_field p99_us "$WRK_RESULT")") | $(ms "$(result_field max_us "$WRK_RESULT")") |")
    if [ "$ok" -gt "$BEST" ]; then BEST="$ok"; BEST_AT="$c"; fi
done

# ---- 2. storm ---------------------------------------------------------------------------------------------------
RSS_FILE="$OUT_DIR/rss-storm.txt"
: >"$RSS_FILE"
( while kill -0 "$DP_PID" 2>/dev/null; do rss_kb "$DP_PID" >>"$RSS_FILE"; sleep 0.2; done ) &
SAMPLER=$!
curl -s "$DP_URL/metrics" >"$OUT_DIR/metrics-before-storm.txt"
wrk_post "storm-c$STORM" "$URL" "$DURATION" "$THREADS" "$STORM" "$BATCHY_BODY" "$WRK_TIMEOUT"
STORM_RESULT="$WRK_RESULT"

# ---- 3. right after ---------------------------------------------------------------------------------------------
PROBE_MS=()
for _ in $(seq 1 "$PROBES"); do
    out="$(dp_curl -s -o /dev/null -w '%{http_code} %{time_total}' --max-time 10 -H 'Content-Type: application/json' \
        -d "$BATCHY_BODY" "$URL")" || out="000 10"
    code="${out% *}"
    t="$(awk -v s="${out#* }" 'BEGIN { printf "%.1f", s * 1000 }')"
    PROBE_MS+=("$t ms ($code)")
    [ -n "${FIRST_PROBE:-}" ] || { FIRST_PROBE="$t"; FIRST_CODE="$code"; }
done
kill "$SAMPLER" 2>/dev/null || true
wait "$SAMPLER" 2>/dev/null || true
PEAK_KB="$(sort -n "$RSS_FILE" | tail -n 1)"
curl -s "$DP_URL/metrics" >"$OUT_DIR/metrics-after-storm.txt"
REJECTED="$(python3 - "$OUT_DIR/metrics-before-storm.txt" "$OUT_DIR/metrics-after-storm.txt" <<'PY'
import re, sys
def read(path):
    out = {}
    for line in open(path):
        m = re.match(r'requests_rejected_total\{model="batchy",reason="([^"]+)",?\} ([0-9.eE+]+)', line)
        if m:
            out[m.group(1)] = out.get(m.group(1), 0) + int(float(m.group(2)))
    return out
before, after = read(sys.argv[1]), read(sys.argv[2])
parts = ["%s %d" % (k, after[k] - before.get(k, 0)) for k in sorted(after) if after[k] - before.get(k, 0)]
print(", ".join(parts) if parts else "none")
PY
)"

AGAIN_ROW=""
if [ "$AGAIN" = 1 ]; then # after the probes and the first storm's counters, so they cover it alone
    wrk_post "storm-again-c$STORM" "$URL" "$DURATION" "$THREADS" "$STORM" "$BATCHY_BODY" "$WRK_TIMEOUT"
    AGAIN_ROW="| storm again | $STORM | $(all_rps "$WRK_RESULT") | $(ok_rps "$WRK_RESULT") | $(result_field status_errors "$WRK_RESULT") | $(socket_errors "$WRK_RESULT") | $(ms "$(result_field p50_us "$WRK_RESULT")") | $(ms "$(result_field p99_us "$WRK_RESULT")") | $(ms "$(result_field max_us "$WRK_RESULT")") |"
    AGAIN_GOODPUT="$(awk -v g="$(ok_rps "$WRK_RESULT")" -v b="$BEST" 'BEGIN { printf "%.2f", (b > 0 ? g / b : 0) }')"
fi
STORM_OK="$(ok_rps "$STORM_RESULT")"
P99_MS="$(ms "$(result_field p99_us "$STORM_RESULT")")"
GOODPUT="$(awk -v g="$STORM_OK" -v b="$BEST" 'BEGIN { printf "%.2f", (b > 0 ? g / b : 0) }')"
PEAK_MIB="$(awk -v k="${PEAK_KB:-0}" 'BEGIN { printf "%.0f", k / 1024 }')"
ROWS+=("| storm | $STORM | $(all_rps "$STORM_RESULT") | $STORM_OK | $(result_field status_errors "$STORM_RESULT") | $(socket_errors "$STORM_RESULT") | $(ms "$(result_field p50_us "$STORM_RESULT")") | $P99_MS | $(ms "$(result_field max_us "$STORM_RESULT")") |")
PROBE_OK=$([ "$FIRST_CODE" = 200 ] && verdict "$FIRST_PROBE" 200 "<" || echo "NOT met (HTTP $FIRST_CODE)")

{
    echo "### Overload: $STORM connections on batchy with default serving settings"
    echo
    echo "$(env_summary); load before the run: $(cut -d' ' -f1-3 /proc/loadavg); predictions $(auth_summary)."
    echo "Policy as deployed: \`$POLICY\` (0 = the node's default). wrk -t$THREADS --timeout $WRK_TIMEOUT -d$DURATION, one"
    echo "row of 64 floats; the latency columns cover every answer wrk got (200, 429 and 503 alike)."
    echo
    echo "| run | connections | answers/s | 200/s | non-2xx | socket errors | p50 ms | p99 ms | max ms |"
    echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
    printf '%s\n' "${ROWS[@]}"
    [ -z "$AGAIN_ROW" ] || echo "$AGAIN_ROW"
    echo
    echo "Refused during the storm (requests_rejected_total): $REJECTED."
    echo "Requests right after the storm, one after the other:"
    echo "${PROBE_MS[*]}."
    echo
    echo "| target | measured | verdict |"
    echo "|---|---|---|"
    echo "| p99 of all answers < 1 s | $P99_MS ms | $(verdict "$P99_MS" 1000 "<") |"
    echo "| goodput >= 90 % of the best throughput ($BEST/s at $BEST_AT connections) | $STORM_OK/s = $GOODPUT | $(verdict "$GOODPUT" 0.90 ">=") |"
    echo "| node peak RSS < 1.5 GiB | $PEAK_MIB MiB | $(verdict "$PEAK_MIB" 1536 "<") |"
    echo "| first request after the storm < 200 ms | $FIRST_PROBE ms (HTTP $FIRST_CODE) | $PROBE_OK |"
    if [ -n "$AGAIN_ROW" ]; then
        echo
        echo "The second storm (not a target; the same node warm): goodput $AGAIN_GOODPUT of the best."
    fi
} | tee "$OUT_DIR/results.md"

if [ "$STRICT" = 1 ] && grep -q "NOT met" "$OUT_DIR/results.md"; then
    exit 1
fi
