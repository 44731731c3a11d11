#!/usr/bin/env bash
# The benchmark suite in one command. Starts a control plane and one data plane (with the bare /echo route) under a
# throw-away MM_HOME, registers iris.onnx, iris_rf.pkl (served as PMML) and the batch-friendly MLP
# bench/models/batchy.onnx (generated when missing), then runs each scenario:
#   a  iris ONNX (cache off) vs /echo, alternating wrk rounds: RPS ratio, target >= 0.70
#   b  scikit-learn random forest (iris_rf.pkl, served as PMML): RPS and p50/p99 with wrk
#   c  batchy at 64 connections, batching off vs on: target on >= 4x the RPS of off, with p99 no worse
#   d  iris with a 300 s cache and one repeated body (100 % hits) vs /echo: RPS ratio, target >= 0.85
#   e  iris ONNX (cache off), open loop at 500 and 5,000 requests/s (bench/loadgen): p50/p99/p99.9, rate, errors
#   f  data plane RSS: idle after the fixtures are loaded, and the peak during the 5,000 requests/s open-loop run
# Prints one markdown section on stdout; it goes to bench/out/suite-YYYYmmdd-HHMMSS/results.md too, with the raw wrk and
# load generator outputs and the server logs. Progress goes to stderr. Default run: about 5 minutes.
#
# Environment (all optional):
#   BENCH_SCENARIOS=a,b,c,d,e,f  BENCH_DURATION=15s (every measured run)  BENCH_WARMUP=5s (before each; 0 = none)
#   BENCH_ROUNDS=2 (echo/predict pairs in a and d)  BENCH_THREADS=2  BENCH_CONNECTIONS=50 (wrk in a, b, d)
#   BENCH_BATCH_CONNECTIONS=64  BENCH_BATCH_SIZE=64  BENCH_BATCH_LATENCY_MS=0 (c; 0 = run what queued during the last batch)
#   BENCH_OL_RATES=500,5000  BENCH_OL_CONNECTIONS=64  BENCH_OL_DURATION=$BENCH_DURATION (e; f uses the highest rate)
#   BENCH_LOADGEN_JAVA_OPTS='-XX:ActiveProcessorCount=1 -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xmx256m'
#   BENCH_STRICT=1 (exit 1 when a target is not met; a run with non-2xx answers always exits 1)
#   BENCH_AUTH=1 (nodes refuse anonymous predictions; every /predict and /echo request, wrk and load generator alike,
#   carries a predict token, so the predict/echo ratios compare like with like; default 0: anonymous)
#   and lib.sh's JAVA_HOME  BENCH_REBUILD  BENCH_JAVA_OPTS  CP_PORT / DP_PORT  MMCTL  BENCH_START_TIMEOUT  BENCH_KEEP_HOME
set -euo pipefail

# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

SCENARIOS="${BENCH_SCENARIOS:-a,b,c,d,e,f}"
DURATION="${BENCH_DURATION:-15s}"
WARMUP="${BENCH_WARMUP:-5s}"
ROUNDS="${BENCH_ROUNDS:-2}"
THREADS="${BENCH_THREADS:-2}"
CONNS="${BENCH_CONNECTIONS:-50}"
BATCH_CONNS="${BENCH_BATCH_CONNECTIONS:-64}"
BATCH_SIZE="${BENCH_BATCH_SIZE:-64}"
BATCH_LATENCY_MS="${BENCH_BATCH_LATENCY_MS:-0}"
OL_RATES="${BENCH_OL_RATES:-500,5000}"
OL_CONNS="${BENCH_OL_CONNECTIONS:-64}"
OL_DURATION="${BENCH_OL_DURATION:-$DURATION}"
LOADGEN_JAVA_OPTS="${BENCH_LOADGEN_JAVA_OPTS:--XX:ActiveProcessorCount=1 -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xmx256m}"
STRICT="${BENCH_STRICT:-0}"

IRIS_BODY='{"inputs":[5.1,3.5,1.4,0.2]}'
# BATCHY_FILE and BATCHY_BODY (one row of 64 floats) come from lib.sh

need curl wrk python3 awk
[[ "$ROUNDS" =~ ^[1-9][0-9]*$ ]] || die "BENCH_ROUNDS must be a positive integer, got '$ROUNDS'"
[[ "$SCENARIOS" =~ ^[a-f](,[a-f])*$ ]] || die "BENCH_SCENARIOS must be a comma list of a..f, got '$SCENARIOS'"
[[ "$OL_RATES" =~ ^[0-9]+(\.[0-9]+)?(,[0-9]+(\.[0-9]+)?)*$ ]] || die "BENCH_OL_RATES must be a comma list of rates, got '$OL_RATES'"
for f in iris.onnx iris_rf.pkl; do
    [ -f "$REPO/fixtures/models/$f" ] || die "fixtures/models/$f is missing; run: /usr/bin/python3 fixtures/make_fixtures.py"
done

selected() { [[ ",$SCENARIOS," == *",$1,"* ]]; }
warmup_on() { [ "$WARMUP" != 0 ] && [ "$WARMUP" != 0s ]; }
# meets VALUE MIN -> "Met" / "NOT met"
meets() { if awk -v a="$1" -v b="$2" 'BEGIN { exit !(a >= b) }'; then echo Met; else echo "NOT met"; fi; }
# json_get FILE EXPR -> a value from a JSON file, EXPR in Python over `d` (empty when absent)
json_get() { python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
try:
    v = eval(sys.argv[2])
except (KeyError, IndexError, TypeError):
    v = ""
print("" if v is None else v)' "$1" "$2" 2>/dev/null || true; }
# wrk_record NAME LINE -> "NAME requests duration_us p50_us p99_us non2xx socket_errors" from a BENCH_RESULT line
wrk_record() {
    local l="$2"
    echo "$1 $(result_field requests "$l") $(result_field duration_us "$l") $(result_field p50_us "$l") \
$(result_field p99_us "$l") $(result_field status_errors "$l") \
$(($(result_field connect_errors "$l") + $(result_field read_errors "$l") + $(result_field write_errors "$l") + $(result_field timeouts "$l")))"
}
# rps_of RECORD -> requests per second of a wrk_record
rps_of() { awk '{ printf "%.0f", $2 / ($3 / 1e6) }' <<<"$1"; }
kb_to_mib() { awk -v k="$1" 'BEGIN { if (k == "" || k < 0) print "n/a"; else printf "%.0f", k / 1024 }'; }

declare -a TARGETS=() # "scenario|target|measured|verdict"
INVALID=0

trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

make_out_dir suite
find_java
ensure_dist
if selected e || selected f; then ensure_loadgen; fi
ensure_batchy
start_stack

ECHO_URL="$DP_URL/echo"
IRIS_URL="$DP_URL/predict/iris"
RF_URL="$DP_URL/predict/iris-rf"
BATCHY_URL="$DP_URL/predict/batchy"

# ---- fixtures -----------------------------------------------------------------------------------------------------
log "registering iris, iris-rf and batchy"
register_model iris "$REPO/fixtures/models/iris.onnx"
register_model iris-rf "$REPO/fixtures/models/iris_rf.pkl"
register_model batchy "$BATCHY_FILE"
wait_200 "$IRIS_URL" "$IRIS_BODY" 120
wait_200 "$RF_URL" "$IRIS_BODY" 120
wait_200 "$BATCHY_URL" "$BATCHY_BODY" 120
[ "$(post_code "$ECHO_URL" "$IRIS_BODY")" = 200 ] || die "POST $ECHO_URL does not answer 200; the data plane must mount /echo (--echo-route)"
version_of() { local v; v="$(json_get "$OUT_DIR/register-$1.json" 'd["version"]["version"]')"; echo "${v:-1.0.0}"; }
IRIS_VERSION="$(version_of iris)"
BATCHY_VERSION="$(version_of batchy)"
RF_SERVED="$(json_get "$OUT_DIR/register-iris-rf.json" 'd["version"]["served"]["format"] + " (" + d["version"]["served"]["converter"] + ")"')"
sleep 2
IDLE_RSS_KB="$(rss_kb "$DP_PID")"
log "data plane (pid $DP_PID) idle RSS after loading the fixtures: ${IDLE_RSS_KB:-?} kB"

# ---- shared runners -------------------------------------------------------------------------------------------------

# compare_with_echo TAG URL BODY: warm-ups, then ROUNDS alternating echo/predict wrk runs; writes the rows and summary
# table to $OUT_DIR/TAG-table.md and sets CMP_RATIO (predict/echo RPS over all rounds)
CMP_RATIO=""
compare_with_echo() {
    local tag="$1" url="$2" body="$3" r ep u rec bad=0
    local -a recs=()
    if warmup_on; then
        wrk_post "$tag-warmup-echo" "$ECHO_URL" "$WARMUP" "$THREADS" "$CONNS" "$body"
        wrk_post "$tag-warmup-predict" "$url" "$WARMUP" "$THREADS" "$CONNS" "$body"
    fi
    for r in $(seq 1 "$ROUNDS"); do
        for ep in echo predict; do
            if [ "$ep" = echo ]; then u="$ECHO_URL"; else u="$url"; fi
            wrk_post "$tag-$ep-$r" "$u" "$DURATION" "$THREADS" "$CONNS" "$body"
            rec="$(wrk_record "$ep" "$WRK_RESULT")"
            recs+=("$r $rec")
            [ "$(awk '{ print $6 }' <<<"$rec")" = 0 ] || bad=1
        done
    done
    [ "$bad" = 0 ] || INVALID=1
    {
        echo "| run | round | RPS | p50 ms | p99 ms | requests | non-2xx | socket errors |"
        echo "|---|---:|---:|---:|---:|---:|---:|---:|"
        printf '%s\n' "${recs[@]}" | awk '{ printf "| %s | %d | %.0f | %.2f | %.2f | %d | %d | %d |\n", $2, $1, $3 / ($4 / 1e6), $5 / 1000, $6 / 1000, $3, $7, $8 }'
        echo
        echo "| summary | echo | predict | predict / echo |"
        echo "|---|---:|---:|---:|"
        printf '%s\n' "${recs[@]}" | awk '
            { n[$2] += $3; d[$2] += $4; p50[$2] += $5; p99[$2] += $6; c[$2]++ }
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
        printf '%s\n' "${recs[@]}" | awk '
            { rps[$2 " " $1] = $3 / ($4 / 1e6); if ($1 > m) m = $1 }
            END { for (r = 1; r <= m; r++) printf "%s%.2f", (r > 1 ? ", " : " "), rps["predict " r] / rps["echo " r]; print "" }'
        if [ "$bad" = 1 ]; then
            echo
            echo "**INVALID: some runs got non-2xx answers (see the non-2xx column and $OUT_DIR/wrk-$tag-*.txt).**"
        fi
    } >"$OUT_DIR/$tag-table.md"
    CMP_RATIO="$(printf '%s\n' "${recs[@]}" | awk '{ n[$2] += $3; d[$2] += $4 } END { printf "%.2f", (n["predict"] / d["predict"]) / (n["echo"] / d["echo"]) }')"
}

# run_loadgen TAG RATE LABEL: one open-loop run against iris with bench/loadgen, sampling the data plane's RSS; sets
# LG_ROW (markdown row), LG_LINE (LOADGEN_RESULT line); output in $OUT_DIR/loadgen-TAG.txt (header, row, line) and .err
LG_ROW=""
LG_LINE=""
run_loadgen() {
    local tag="$1" rate="$2" label="$3" outf="$OUT_DIR/loadgen-$1.txt" errf="$OUT_DIR/loadgen-$1.err" rc=0 warm="$WARMUP"
    local -a jvm auth=()
    read -r -a jvm <<<"$LOADGEN_JAVA_OPTS"
    [ -z "$PREDICT_TOKEN_FILE" ] || auth=(--token-file "$PREDICT_TOKEN_FILE")
    warmup_on || warm=0
    log "open loop: $rate requests/s for $OL_DURATION after a $warm warm-up, $OL_CONNS connections ($label)"
    "$JAVA" "${jvm[@]}" -cp "$LOADGEN_CP" io.modelmesh.loadgen.OpenLoop --url "$IRIS_URL" --body "$IRIS_BODY" \
        --rate "$rate" --duration "$OL_DURATION" --warmup "$warm" --connections "$OL_CONNS" --label "$label" \
        --rss-pid "$DP_PID" --markdown-header ${auth[@]+"${auth[@]}"} >"$outf" 2>"$errf" &
    WRK_PID=$!
    wait "$WRK_PID" || rc=$?
    WRK_PID=""
    if [ "$rc" != 0 ]; then
        cat "$errf" >&2
        die "the load generator failed for $label (exit $rc, output above)"
    fi
    LG_ROW="$(grep '^| ' "$outf" | tail -n 1)"
    LG_LINE="$(grep '^LOADGEN_RESULT ' "$outf" || true)"
    [ -n "$LG_LINE" ] || { cat "$outf" "$errf" >&2; die "no LOADGEN_RESULT line for $label"; }
    kill -0 "$DP_PID" 2>/dev/null || die "the data plane died during $label; see $OUT_DIR/dataplane.log"
}

# ---- scenarios --------------------------------------------------------------------------------------------------------

scenario_a() {
    log "scenario a: iris ONNX (cache off) vs echo"
    deploy_policy iris "$IRIS_VERSION" '"cache_ttl_seconds":0'
    compare_with_echo a "$IRIS_URL" "$IRIS_BODY"
    local verdict
    verdict="$(meets "$CMP_RATIO" 0.70)"
    {
        echo "### a. iris ONNX (cache off) vs echo on the same server"
        echo
        echo "Target: predict/echo RPS ≥ 0.70. **$verdict: $CMP_RATIO.** wrk -t$THREADS -c$CONNS -d$DURATION, $ROUNDS round(s) alternating echo/predict after a $WARMUP warm-up of each; body \`$IRIS_BODY\`. Both endpoints: $(auth_summary)."
        echo
        cat "$OUT_DIR/a-table.md"
    } >"$OUT_DIR/section-a.md"
    TARGETS+=("a. iris vs echo|predict/echo RPS ≥ 0.70|$CMP_RATIO|$verdict")
}

scenario_b() {
    log "scenario b: scikit-learn random forest (PMML)"
    if warmup_on; then wrk_post b-warmup "$RF_URL" "$WARMUP" "$THREADS" "$CONNS" "$IRIS_BODY"; fi
    wrk_post b-rf "$RF_URL" "$DURATION" "$THREADS" "$CONNS" "$IRIS_BODY"
    local rec rps
    rec="$(wrk_record iris-rf "$WRK_RESULT")"
    rps="$(rps_of "$rec")"
    [ "$(awk '{ print $6 }' <<<"$rec")" = 0 ] || INVALID=1
    {
        echo "### b. scikit-learn random forest (iris_rf.pkl, served as ${RF_SERVED:-PMML})"
        echo
        echo "No target (reported). wrk -t$THREADS -c$CONNS -d$DURATION after a $WARMUP warm-up; body \`$IRIS_BODY\`; 12 trees of depth 4."
        echo
        echo "| model | RPS | p50 ms | p99 ms | requests | non-2xx | socket errors |"
        echo "|---|---:|---:|---:|---:|---:|---:|"
        awk '{ printf "| %s | %.0f | %.2f | %.2f | %d | %d | %d |\n", $1, $2 / ($3 / 1e6), $4 / 1000, $5 / 1000, $2, $6, $7 }' <<<"$rec"
    } >"$OUT_DIR/section-b.md"
    TARGETS+=("b. random forest (PMML)|none (reported)|$rps RPS, p99 $(awk '{ printf "%.2f", $5 / 1000 }' <<<"$rec") ms|-")
}

scenario_c() {
    log "scenario c: batchy, batching off vs on"
    local off on ratio p99off p99on verdict mode rec
    local -a recs=()
    for mode in off on; do
        if [ "$mode" = off ]; then
            deploy_policy batchy "$BATCHY_VERSION" '"max_batch_size":1'
        else
            deploy_policy batchy "$BATCHY_VERSION" "\"max_batch_size\":$BATCH_SIZE,\"max_latency_ms\":$BATCH_LATENCY_MS"
        fi
        cp "$OUT_DIR/deploy-batchy.json" "$OUT_DIR/deploy-batchy-$mode.json"
        if warmup_on; then wrk_post "c-warmup-$mode" "$BATCHY_URL" "$WARMUP" "$THREADS" "$BATCH_CONNS" "$BATCHY_BODY"; fi
        wrk_post "c-batching-$mode" "$BATCHY_URL" "$DURATION" "$THREADS" "$BATCH_CONNS" "$BATCHY_BODY"
        rec="$(wrk_record "$mode" "$WRK_RESULT")"
        [ "$(awk '{ print $6 }' <<<"$rec")" = 0 ] || INVALID=1
        recs+=("$rec $(json_get "$OUT_DIR/deploy-batchy-$mode.json" '"max_batch_size=%d max_latency_ms=%d" % (d["route"]["policy"]["max_batch_size"], d["route"]["policy"]["max_latency_ms"])')")
    done
    off="$(rps_of "${recs[0]}")"
    on="$(rps_of "${recs[1]}")"
    p99off="$(awk '{ print $5 }' <<<"${recs[0]}")"
    p99on="$(awk '{ print $5 }' <<<"${recs[1]}")"
    ratio="$(awk -v a="$on" -v b="$off" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')"
    if [ "$(meets "$ratio" 4)" = Met ] && [ "$p99on" -le "$p99off" ]; then verdict=Met; else verdict="NOT met"; fi
    {
        echo "### c. batch-friendly MLP (64 → 1024 → 1024 → 1024 → 10), dynamic batching off vs on"
        echo
        echo "Target: batching on ≥ 4× the RPS of off, with p99 no worse. **$verdict: ${ratio}×, p99 $(awk -v a="$p99on" -v b="$p99off" 'BEGIN { printf "%.2f vs %.2f ms", a / 1000, b / 1000 }').** wrk -t$THREADS -c$BATCH_CONNS -d$DURATION after a $WARMUP warm-up of each; body one row of 64 floats; policy set with \`POST /deployments\`."
        echo
        echo "| batching | policy as deployed | RPS | p50 ms | p99 ms | requests | non-2xx | socket errors |"
        echo "|---|---|---:|---:|---:|---:|---:|---:|"
        printf '%s\n' "${recs[@]}" | awk '{ printf "| %s | %s %s | %.0f | %.2f | %.2f | %d | %d | %d |\n", $1, $8, $9, $2 / ($3 / 1e6), $4 / 1000, $5 / 1000, $2, $6, $7 }'
        echo
        echo "RPS on/off: **$ratio**; p99 on/off: $(awk -v a="$p99on" -v b="$p99off" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')."
        if awk -v r="$ratio" 'BEGIN { exit !(r > 0.9 && r < 1.1) }'; then
            echo
            echo "**Note:** on and off are within 10 % of each other although the control plane deployed the batching policy shown above: the data plane does not appear to batch yet."
        fi
    } >"$OUT_DIR/section-c.md"
    TARGETS+=("c. batching on vs off|RPS ≥ 4× off, p99 ≤ off|${ratio}×, p99 $(awk -v a="$p99on" -v b="$p99off" 'BEGIN { printf "%.2f / %.2f ms", a / 1000, b / 1000 }')|$verdict")
}

scenario_d() {
    log "scenario d: iris with a 300 s cache (100 % hits) vs echo"
    deploy_policy iris "$IRIS_VERSION" '"cache_ttl_seconds":300'
    local second note="" verdict
    dp_curl -sS --max-time 10 -H 'Content-Type: application/json' -d "$IRIS_BODY" "$IRIS_URL" >"$OUT_DIR/d-first.json"
    second="$(dp_curl -sS --max-time 10 -H 'Content-Type: application/json' -d "$IRIS_BODY" "$IRIS_URL" | tee "$OUT_DIR/d-second.json")"
    if grep -Eq '"cached"[[:space:]]*:[[:space:]]*true' <<<"$second"; then
        log "cache hit confirmed: $(head -c 200 <<<"$second")"
    else
        note="the second identical request did not answer \"cached\":true (answer: \`$(head -c 160 <<<"$second")\`): this data plane has no response cache yet, so the ratio below is for uncached predictions and the target is not evaluated."
        log "WARNING: $note"
    fi
    compare_with_echo d "$IRIS_URL" "$IRIS_BODY"
    deploy_policy iris "$IRIS_VERSION" '"cache_ttl_seconds":0'
    if [ -n "$note" ]; then verdict="not evaluated (no cache hits)"; else verdict="$(meets "$CMP_RATIO" 0.85)"; fi
    {
        echo "### d. iris with every request a cache hit vs echo"
        echo
        echo "Target: cached predict/echo RPS ≥ 0.85. **$verdict: $CMP_RATIO.** \`cache_ttl_seconds: 300\`, one body repeated (\`$IRIS_BODY\`), so every request after the first hits; wrk -t$THREADS -c$CONNS -d$DURATION, $ROUNDS round(s) alternating echo/predict after a $WARMUP warm-up of each. Both endpoints: $(auth_summary)."
        if [ -n "$note" ]; then
            echo
            echo "**Note:** $note"
        fi
        echo
        cat "$OUT_DIR/d-table.md"
    } >"$OUT_DIR/section-d.md"
    TARGETS+=("d. cache hits vs echo|predict/echo RPS ≥ 0.85|$CMP_RATIO|$verdict")
}

PEAK_RSS_KB=""
PEAK_RATE=""
TOP_RATE="$(tr ',' '\n' <<<"$OL_RATES" | sort -g | tail -n 1)"

scenario_e() {
    log "scenario e: open loop at $OL_RATES requests/s"
    deploy_policy iris "$IRIS_VERSION" '"cache_ttl_seconds":0'
    local rate label ok all=Met achieved
    local -a rows=() notes=() results=()
    for rate in ${OL_RATES//,/ }; do
        label="iris @ $rate/s"
        run_loadgen "iris-$rate" "$rate" "$label"
        rows+=("$LG_ROW")
        achieved="$(result_field achieved_rps "$LG_LINE")"
        ok="$(meets "$achieved" "$(awk -v r="$rate" 'BEGIN { print r * 0.99 }')")"
        if [ "$(result_field errors "$LG_LINE")" != 0 ] || [ "$(result_field non2xx "$LG_LINE")" != 0 ]; then ok="NOT met"; fi
        [ "$(result_field non2xx "$LG_LINE")" = 0 ] || INVALID=1
        [ "$ok" = Met ] || all="NOT met"
        results+=("$rate/s: $achieved achieved, p99 $(awk -v u="$(result_field p99_us "$LG_LINE")" 'BEGIN { printf "%.2f", u / 1000 }') ms")
        notes+=("$label: send lag p99 $(result_field send_lag_p99_us "$LG_LINE") µs, load generator CPU $(result_field loadgen_cpu_pct "$LG_LINE") % of one core, data plane peak RSS $(kb_to_mib "$(result_field peak_rss_kb "$LG_LINE")") MiB")
        if [ "$rate" = "$TOP_RATE" ]; then
            PEAK_RSS_KB="$(result_field peak_rss_kb "$LG_LINE")"
            PEAK_RATE="$rate"
        fi
    done
    {
        echo "### e. iris ONNX (cache off), open loop"
        echo
        echo "Target (the suite's): the offered rate is sustained (achieved ≥ 99 % of offered) with no errors and no non-2xx. **$all.** \`bench/loadgen\` OpenLoop: requests due at t0 + i/rate whatever the server does, latency from each one's intended send time (no coordinated omission); $OL_CONNS keep-alive connections, $OL_DURATION measured after a ${WARMUP} warm-up at the same rate; load generator JVM \`$LOADGEN_JAVA_OPTS\`."
        echo
        head -n 2 "$OUT_DIR/loadgen-iris-${OL_RATES%%,*}.txt"
        printf '%s\n' "${rows[@]}"
        echo
        printf -- '- %s\n' "${notes[@]}"
    } >"$OUT_DIR/section-e.md"
    TARGETS+=("e. open loop $OL_RATES/s|achieved ≥ 99 % of offered, 0 errors|$(printf '%s; ' "${results[@]}" | sed 's/; $//')|$all")
}

scenario_f() {
    log "scenario f: data plane memory"
    if [ -z "$PEAK_RSS_KB" ]; then
        run_loadgen "rss-$TOP_RATE" "$TOP_RATE" "iris @ $TOP_RATE/s (memory)"
        PEAK_RSS_KB="$(result_field peak_rss_kb "$LG_LINE")"
        PEAK_RATE="$TOP_RATE"
    fi
    local end_kb heap
    end_kb="$(rss_kb "$DP_PID")"
    heap="default max heap (a quarter of RAM)"
    [ -z "${BENCH_JAVA_OPTS:-}" ] || heap="\`$BENCH_JAVA_OPTS\`"
    {
        echo "### f. data plane resident memory (VmRSS)"
        echo
        echo "No target (reported). Sampled from /proc/$DP_PID/status; the JVM runs with $heap, so the collector grows the heap lazily and RSS is not a lower bound on what the node needs."
        echo
        echo "| when | VmRSS MiB |"
        echo "|---|---:|"
        echo "| idle, after iris, iris-rf and batchy loaded (before any load) | $(kb_to_mib "$IDLE_RSS_KB") |"
        echo "| peak during the open-loop run at $PEAK_RATE requests/s (sampled every 100 ms) | $(kb_to_mib "$PEAK_RSS_KB") |"
        echo "| end of the suite | $(kb_to_mib "$end_kb") |"
    } >"$OUT_DIR/section-f.md"
    TARGETS+=("f. memory|none (reported)|idle $(kb_to_mib "$IDLE_RSS_KB") MiB, peak $(kb_to_mib "$PEAK_RSS_KB") MiB at $PEAK_RATE/s|-")
}

for s in a b c d e f; do
    if selected "$s"; then "scenario_$s"; fi
done

# ---- report -----------------------------------------------------------------------------------------------------------
command_line() {
    local k v
    while IFS='=' read -r k v; do
        printf '%s=%q ' "$k" "$v"
    done < <(env | grep -E '^(BENCH_[A-Z_]+|CP_PORT|DP_PORT|MMCTL)=' | grep -v '^BENCH_AUTH=' | sort)
    # BENCH_AUTH is in effect even when it was not exported (it defaults to 0): name it always
    printf 'BENCH_AUTH=%s ' "$BENCH_AUTH"
    printf 'bench/suite.sh'
}

REPORT="$OUT_DIR/results.md"
{
    echo "## Benchmark suite"
    echo
    echo "$(env_summary); scenarios $SCENARIOS."
    echo
    echo "Machine: $(machine_summary). One control plane (with its embedded PostgreSQL) and one data plane; wrk, the load generator and both servers share these cores over loopback."
    echo
    echo "Predictions: $(auth_summary)."
    echo
    echo "Command: \`$(command_line)\`"
    for s in a b c d e f; do
        if selected "$s"; then
            echo
            cat "$OUT_DIR/section-$s.md"
        fi
    done
    echo
    echo "### Targets"
    echo
    echo "| scenario | target | measured | verdict |"
    echo "|---|---|---|---|"
    for t in "${TARGETS[@]}"; do
        IFS='|' read -r name target measured verdict <<<"$t"
        echo "| $name | $target | $measured | $verdict |"
    done
    if [ "$INVALID" = 1 ]; then
        echo
        echo "**INVALID: some runs got non-2xx answers (see the tables); fix the server before using these numbers.**"
    fi
} >"$REPORT"

cat "$REPORT"
[ "$INVALID" = 0 ] || die "some runs got non-2xx answers; the numbers above are not valid"
if [ "$STRICT" = 1 ] && printf '%s\n' "${TARGETS[@]}" | grep -q '|NOT met$'; then
    die "some targets were not met (BENCH_STRICT=1)"
fi
