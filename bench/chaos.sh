#!/usr/bin/env bash
# The chaos suite (issue 11, item 7): break a running stack the way production does and measure what clients see.
# One control plane (embedded PostgreSQL) and data-plane nodes as separate processes under a throw-away MM_HOME; the
# iris model (fixtures/models/iris.onnx); prediction load through the Java SDK (bench/java/ChaosLoad.java: 8 virtual
# threads in a closed loop over the nodes, the SDK's default retries). Each case prints one markdown row:
#
#   node_kill      SIGKILL 1 of 3 nodes under load      <= 0.01 % failed predictions, none 2 s after the kill
#   node_term      SIGTERM a node under load            0 failed predictions; the node exits within its drain time
#   cp_kill        SIGKILL the control plane under load 0 failed predictions; after a restart the nodes are back and a
#                                                       deploy reaches them
#   pg_stop        stop PostgreSQL under load           /health 503, a write 503 with a message, 0 failed predictions;
#                                                       recovers without a restart when PostgreSQL returns
#   redis_kill     SIGKILL Redis under load (a node     0 failed predictions
#                  with --redis-url)
#   register_kill  SIGKILL the control plane during a   nothing half-made is listed, no upload left in the store,
#                  50 MB registration                   the same registration works after a restart
#   full_disk      register 50 MB onto a 12 MiB artifact a 507 that says so; what was stored still reads back intact;
#                  disk (tmpfs, needs root; no margin)  a small registration works afterwards
#
# The 3x overload case is bench/overload.sh (512 connections against a saturated node, docs/benchmark_results.md);
# killing the leader of two control planes during a canary (SIGKILL, real processes from `mmctl up --control-planes 2`)
# is the end-to-end test cli/src/test/java/io/modelmesh/cli/commands/UpControlPlanesIT.java (docs/reliability.md).
#
# Environment (all optional): BENCH_CHAOS_CASES=node_kill,node_term,cp_kill,pg_stop,redis_kill,register_kill,full_disk
#   BENCH_CHAOS_SECONDS=20 (load per case)  BENCH_STRICT=1 (exit 1 when a case fails)
#   and lib.sh's JAVA_HOME  BENCH_REBUILD  BENCH_JAVA_OPTS  BENCH_AUTH  BENCH_KEEP_HOME
set -euo pipefail

# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

CASES="${BENCH_CHAOS_CASES:-node_kill,node_term,cp_kill,pg_stop,redis_kill,register_kill,full_disk}"
SECONDS_PER_CASE="${BENCH_CHAOS_SECONDS:-20}"
STRICT="${BENCH_STRICT:-0}"
MODEL=iris
ROW='[5.1,3.5,1.4,0.2]'
BODY="{\"inputs\":$ROW}"
need curl python3 awk
[[ "$SECONDS_PER_CASE" =~ ^[1-9][0-9]*$ ]] && [ "$SECONDS_PER_CASE" -ge 10 ] \
    || die "BENCH_CHAOS_SECONDS must be a whole number >= 10, got '$SECONDS_PER_CASE'"

REDIS_PID=""
MOUNTS=()
LOAD_PID=""
chaos_cleanup() {
    local rc=$?
    set +e
    [ -z "$LOAD_PID" ] || kill "$LOAD_PID" 2>/dev/null
    [ -z "$REDIS_PID" ] || kill -9 "$REDIS_PID" 2>/dev/null
    if [ -n "${CP2_PID:-}" ]; then stop_pid "$CP2_PID" "second control plane"; fi
    local m
    for m in "${MOUNTS[@]}"; do
        stop_postmasters_under "$(dirname "$m")"
        umount "$m" 2>/dev/null
    done
    (exit "$rc")
    cleanup
}
trap chaos_cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

make_out_dir chaos
find_java
ensure_dist
ROWS="$OUT_DIR/rows.md"
: >"$ROWS"
FAILED_CASES=0

now_ms() { date +%s%3N; }

# row CASE TARGET MEASURED VERDICT
row() {
    printf '| %s | %s | %s | %s |\n' "$1" "$2" "$3" "$4" | tee -a "$ROWS" >&2
    [ "$4" = PASS ] || [ "$4" = SKIPPED ] || FAILED_CASES=$((FAILED_CASES + 1))
}

# start_load SECONDS NODE_URL...: SDK load in the background; LOAD_OUT gets its failures and summary
start_load() {
    local seconds="$1"
    shift
    LOAD_OUT="$OUT_DIR/load-$(now_ms).txt"
    LOAD_STOP="$LOAD_OUT.stop"
    local -a token=()
    [ -z "$PREDICT_TOKEN_FILE" ] || token=(--predict-token-file "$PREDICT_TOKEN_FILE")
    "$JAVA" -cp "$LIB_DIR/*" "$REPO/bench/java/ChaosLoad.java" ${token[@]+"${token[@]}"} "$MODEL" "$ROW" 8 \
        "$seconds" "$LOAD_STOP" "$LOAD_OUT" "$@" >"$LOAD_OUT.log" 2>&1 &
    LOAD_PID=$!
    # the single-file launcher compiles first: the load has started once a request reached a node
    sleep 3
}

wait_load() {
    wait "$LOAD_PID" || { cat "$LOAD_OUT.log" >&2; die "the load generator failed (log above)"; }
    LOAD_PID=""
    [ -s "$LOAD_OUT" ] || die "the load generator wrote no summary to $LOAD_OUT"
}

# load_field NAME: a number from the load summary line (total, ok, failed, degraded, seconds)
load_field() { tail -n 1 "$LOAD_OUT" | awk -v k="$1" '{ for (i = 1; i < NF; i++) if ($i == k) print $(i + 1) }'; }

# failures_after MS: failed predictions at or after epoch milliseconds MS
failures_after() { awk -v t="$1" '$1 == "FAIL" && $2 >= t' "$LOAD_OUT" | wc -l; }

first_failures() { grep '^FAIL' "$LOAD_OUT" | head -n 3 | cut -c1-160 | sed 's/|/\//g' | paste -sd ';' -; }

# pid_of_node URL: the pid of the node started on URL (start_stack's DP_PID or one of EXTRA_PIDS)
pid_of_node() {
    local url="$1" i
    [ "$url" != "$DP_URL" ] || { echo "$DP_PID"; return; }
    for i in "${!EXTRA_URLS[@]}"; do
        [ "${EXTRA_URLS[$i]}" != "$url" ] || { echo "${EXTRA_PIDS[$i]}"; return; }
    done
    die "no node at $url"
}

serving_everywhere() {
    local url
    for url in "$@"; do
        wait_200 "$url/predict/$MODEL" "$BODY" 120
    done
}

# postmaster_pid DIR: the pid of the running PostgreSQL whose data directory is under DIR (empty when none)
postmaster_pid() {
    local f pid
    while IFS= read -r f; do
        pid="$(head -n 1 "$f" 2>/dev/null)"
        if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
            echo "$pid"
            return 0
        fi
    done < <(find "$1" -name postmaster.pid 2>/dev/null)
}

stop_postmasters_under() {
    local pid
    pid="$(postmaster_pid "$1")"
    [ -z "$pid" ] || { kill -INT "$pid" 2>/dev/null; sleep 2; kill -KILL "$pid" 2>/dev/null; }
    return 0
}

# ---- cases ----------------------------------------------------------------------------------------------------------

# LIVE: the nodes that are up (the cases kill some and start others)
LIVE=()

# drop_live URL: URL is no longer one of the live nodes
drop_live() {
    local -a keep=()
    local u
    for u in "${LIVE[@]}"; do [ "$u" = "$1" ] || keep+=("$u"); done
    LIVE=("${keep[@]}")
}

case_node_kill() {
    while [ "${#LIVE[@]}" -lt 3 ]; do
        start_extra_node "n$(( ${#EXTRA_URLS[@]} + 2 ))"
        LIVE+=("${EXTRA_URLS[-1]}")
    done
    local nodes=("${LIVE[@]:0:3}") victim t total failed late
    victim="${nodes[2]}"
    serving_everywhere "${nodes[@]}"
    start_load "$SECONDS_PER_CASE" "${nodes[@]}"
    sleep 3
    t="$(now_ms)"
    kill -KILL "$(pid_of_node "$victim")"
    drop_live "$victim"
    log "node_kill: SIGKILLed the node at $victim"
    wait_load
    total="$(load_field total)"
    failed="$(load_field failed)"
    late="$(failures_after $((t + 2000)))"
    local verdict=FAIL
    if [ "$late" = 0 ] && [ $((failed * 10000)) -le "$total" ]; then verdict=PASS; fi
    row "SIGKILL 1 of 3 nodes under SDK load" "<= 0.01 % failed, none 2 s after" \
        "$failed of $total failed ($(awk -v f="$failed" -v t="$total" 'BEGIN { printf "%.4f", 100 * f / t }') %), $late after 2 s $( [ "$failed" = 0 ] || first_failures)" "$verdict"
}

case_node_term() {
    start_extra_node "n$(( ${#EXTRA_URLS[@]} + 2 ))"
    LIVE+=("${EXTRA_URLS[-1]}")
    local nodes=("${LIVE[@]}") victim pid t exited="" total failed
    victim="${LIVE[1]}"
    pid="$(pid_of_node "$victim")"
    serving_everywhere "${nodes[@]}"
    start_load "$SECONDS_PER_CASE" "${nodes[@]}"
    sleep 3
    t="$(now_ms)"
    kill -TERM "$pid"
    drop_live "$victim"
    log "node_term: SIGTERMed the node at $victim"
    for _ in $(seq 1 300); do
        if ! kill -0 "$pid" 2>/dev/null; then exited="$(( $(now_ms) - t )) ms"; break; fi
        sleep 0.1
    done
    wait_load
    total="$(load_field total)"
    failed="$(load_field failed)"
    local verdict=FAIL
    if [ "$failed" = 0 ] && [ -n "$exited" ]; then verdict=PASS; fi
    row "SIGTERM a node under SDK load" "0 failed; the node drains and exits" \
        "$failed of $total failed; exited ${exited:-not within 30 s} after SIGTERM $( [ "$failed" = 0 ] || first_failures)" "$verdict"
}

# ready_nodes: how many nodes the control plane lists as LIVE
ready_nodes() {
    cp_curl -s --max-time 5 "$CP_URL/nodes" 2>/dev/null | python3 -c '
import json, sys
try:
    print(sum(1 for n in json.load(sys.stdin) if n.get("state") == "LIVE"))
except Exception:
    print(0)'
}

case_cp_kill() {
    local nodes=("${LIVE[@]}") t total failed back ready t0 deployed=""
    serving_everywhere "${nodes[@]}"
    start_load "$SECONDS_PER_CASE" "${nodes[@]}"
    sleep 2
    t="$(now_ms)"
    kill -KILL "$CP_PID"
    wait "$CP_PID" 2>/dev/null || true
    log "cp_kill: SIGKILLed the control plane"
    sleep 5
    t0="$(now_ms)"
    start_cp
    back="$(( $(now_ms) - t0 )) ms"
    wait_load
    total="$(load_field total)"
    failed="$(load_field failed)"
    # recovery: both nodes ready again, and a new deploy (the same version under a new revision) reaches them
    ready=0
    t0="$(now_ms)"
    while [ "$(( $(now_ms) - t0 ))" -lt 60000 ]; do
        ready="$(ready_nodes)"
        [ "$ready" -lt "${#nodes[@]}" ] || break
        sleep 0.2
    done
    t0="$(now_ms)"
    if cp_curl -sf -o "$OUT_DIR/cp-kill-deploy.json" --max-time 60 -H 'Content-Type: application/json' \
        -d "{\"model\":\"$MODEL\",\"version\":\"1.0.0\"}" "$CP_URL/deployments"; then
        deployed="$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print("acks %s/%s" % (d.get("nodes_acked", d.get("nodesAcked")), d.get("nodes_total", d.get("nodesTotal"))))' "$OUT_DIR/cp-kill-deploy.json" 2>/dev/null || echo answered) in $(( $(now_ms) - t0 )) ms"
    fi
    local verdict=FAIL
    if [ "$failed" = 0 ] && [ "$ready" -ge "${#nodes[@]}" ] && [ -n "$deployed" ]; then verdict=PASS; fi
    row "SIGKILL the control plane under SDK load, restart it 5 s later" \
        "0 failed; nodes ready again; a deploy reaches them" \
        "$failed of $total failed; healthy $back after the restart; $ready nodes ready; deploy: ${deployed:-failed}" "$verdict"
}

case_pg_stop() {
    local nodes=("${LIVE[@]}") pid data opts owner health write_code write_msg total failed t0 back=""
    pid="$(postmaster_pid "$MM_TMP_HOME")"
    [ -n "$pid" ] || { row "stop PostgreSQL" "-" "no embedded PostgreSQL found under $MM_TMP_HOME" FAIL; return; }
    data="$(readlink -f "/proc/$pid/cwd")"
    opts="$data/postmaster.opts"
    owner="$(stat -c %U "$data")"
    [ -s "$opts" ] || { row "stop PostgreSQL" "-" "no $opts to restart it with" FAIL; return; }
    cp "$opts" "$OUT_DIR/postmaster.opts"
    serving_everywhere "${nodes[@]}"
    start_load "$SECONDS_PER_CASE" "${nodes[@]}"
    kill -INT "$pid"
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    log "pg_stop: stopped PostgreSQL (pid $pid)"
    sleep 2
    health="$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 "$CP_URL/health")"
    write_code="$(cp_curl -s -o "$OUT_DIR/pg-stop-write.json" -w '%{http_code}' --max-time 30 \
        -H 'Content-Type: application/json' -d "{\"model\":\"$MODEL\",\"version\":\"1.0.0\"}" "$CP_URL/deployments")"
    write_msg="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1])).get("message","")[:90])' \
        "$OUT_DIR/pg-stop-write.json" 2>/dev/null || head -c 90 "$OUT_DIR/pg-stop-write.json")"
    wait_load
    total="$(load_field total)"
    failed="$(load_field failed)"
    # PostgreSQL returns: the same command line it was started with, as the same user
    t0="$(now_ms)"
    (
        cd "$data"
        eval "set -- $(<"$OUT_DIR/postmaster.opts")"
        # as root, PostgreSQL runs in a user namespace (unshare -U), as the control plane starts it (EmbeddedDatabase)
        if [ "$(id -u)" = 0 ]; then set -- unshare -U "$@"; elif [ "$owner" != "$(id -un)" ]; then
            set -- runuser -u "$owner" -- "$@"
        fi
        exec setsid "$@" >>"$OUT_DIR/postgres-restart.log" 2>&1 </dev/null
    ) &
    while [ "$(( $(now_ms) - t0 ))" -lt 60000 ]; do
        if [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$CP_URL/health")" = 200 ]; then
            back="$(( $(now_ms) - t0 )) ms"
            break
        fi
        sleep 0.1
    done
    local after
    after="$(cp_curl -s -o /dev/null -w '%{http_code}' --max-time 60 -H 'Content-Type: application/json' \
        -d "{\"model\":\"$MODEL\",\"version\":\"1.0.0\"}" "$CP_URL/deployments")"
    local verdict=FAIL
    if [ "$health" = 503 ] && [ "$write_code" = 503 ] && [ "$failed" = 0 ] && [ -n "$back" ] && [ "$after" = 200 ]; then
        verdict=PASS
    fi
    row "stop PostgreSQL under SDK load, start it again" \
        "/health 503; writes 503 with a message; 0 failed; back without a restart" \
        "/health $health; write $write_code \"$write_msg\"; $failed of $total failed; healthy ${back:-never} after PostgreSQL returned; then a write $after" "$verdict"
}

case_redis_kill() {
    if ! command -v redis-server >/dev/null 2>&1; then
        row "SIGKILL Redis under SDK load" "0 failed" "redis-server not installed (Debian: apt-get install redis-server)" SKIPPED
        return
    fi
    local port total failed node
    port="$(free_port)"
    redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no >"$OUT_DIR/redis.log" 2>&1 &
    REDIS_PID=$!
    for _ in $(seq 1 50); do
        redis-cli -p "$port" ping >/dev/null 2>&1 && break
        sleep 0.1
    done
    start_extra_node "n$(( ${#EXTRA_URLS[@]} + 2 ))-redis" --redis-url "redis://127.0.0.1:$port"
    node="${EXTRA_URLS[-1]}"
    serving_everywhere "$node"
    start_load "$SECONDS_PER_CASE" "$node"
    sleep 3
    kill -KILL "$REDIS_PID"
    wait "$REDIS_PID" 2>/dev/null || true
    REDIS_PID=""
    log "redis_kill: SIGKILLed Redis"
    wait_load
    total="$(load_field total)"
    failed="$(load_field failed)"
    local verdict=FAIL
    [ "$failed" != 0 ] || verdict=PASS
    row "SIGKILL Redis (the node's cache) under SDK load" "0 failed" \
        "$failed of $total failed $( [ "$failed" = 0 ] || first_failures)" "$verdict"
}

LARGE_MODEL="$REPO/bench/out/models/large-50mb.onnx"
ensure_large() {
    [ ! -f "$LARGE_MODEL" ] || return 0
    mkdir -p "$(dirname "$LARGE_MODEL")"
    log "generating $LARGE_MODEL: /usr/bin/python3 fixtures/make_fixtures.py --large $LARGE_MODEL --mb 50"
    /usr/bin/python3 "$REPO/fixtures/make_fixtures.py" --large "$LARGE_MODEL" --mb 50 >"$OUT_DIR/make-large.log" 2>&1 \
        || { tail -n 20 "$OUT_DIR/make-large.log" >&2; die "could not generate $LARGE_MODEL (needs Debian python3-torch and python3-onnx)"; }
}

uploads_left() { find "$1" -name '.upload-*' 2>/dev/null | wc -l; }

case_register_kill() {
    ensure_large
    local upload_pid listed versions left code size
    size="$(du -m "$LARGE_MODEL" | cut -f1)"
    # 10 MB/s: the kill lands in the middle of the upload
    cp_curl -s -o "$OUT_DIR/register-kill-1.json" --limit-rate 10M -F name=big -F "file=@$LARGE_MODEL" \
        "$CP_URL/models" &
    upload_pid=$!
    sleep 2
    kill -KILL "$CP_PID"
    wait "$CP_PID" 2>/dev/null || true
    wait "$upload_pid" 2>/dev/null || true
    log "register_kill: SIGKILLed the control plane 2 s into a ${size} MB upload"
    start_cp
    code="$(cp_curl -s -o /dev/null -w '%{http_code}' --max-time 10 "$CP_URL/models/big")"
    listed="$(cp_curl -s --max-time 10 "$CP_URL/models" | python3 -c '
import json, sys
d = json.load(sys.stdin)
items = d.get("items", d) if isinstance(d, dict) else d
print(sum(1 for m in items if m.get("name") == "big"))')"
    left="$(uploads_left "$MM_TMP_HOME/artifacts")"
    local again
    again="$(cp_curl -s -o "$OUT_DIR/register-kill-2.json" -w '%{http_code}' --max-time 300 -F name=big \
        -F "file=@$LARGE_MODEL" "$CP_URL/models")"
    versions="$(cp_curl -s --max-time 10 "$CP_URL/models/big/versions" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))' 2>/dev/null || echo '?')"
    local verdict=FAIL
    if [ "$code" = 404 ] && [ "$listed" = 0 ] && [ "$left" = 0 ] && [ "$again" = 201 ] && [ "$versions" = 1 ]; then
        verdict=PASS
    fi
    row "SIGKILL the control plane 2 s into a ${size} MB registration" \
        "nothing half-made listed; no upload left; re-register works" \
        "GET /models/big $code; listed $listed; uploads left $left; re-register $again ($versions version)" "$verdict"
}

case_full_disk() {
    if [ "$(id -u)" != 0 ]; then
        row "register onto a full artifact disk" "507, nothing corrupted" "needs root to mount a small tmpfs" SKIPPED
        return
    fi
    ensure_large
    local home port url before after code msg small
    home="$(mktemp -d "${TMPDIR:-/tmp}/modelmesh-chaos-disk.XXXXXX")"
    chmod 755 "$home"
    mkdir -p "$home/artifacts"
    if ! mount -t tmpfs -o size=12m tmpfs "$home/artifacts" 2>"$OUT_DIR/mount.log"; then
        row "register onto a full artifact disk" "507, nothing corrupted" "mount -t tmpfs refused: $(head -c 80 "$OUT_DIR/mount.log")" SKIPPED
        return
    fi
    MOUNTS+=("$home/artifacts")
    port="$(free_port)"
    url="http://127.0.0.1:$port"
    # no free-space margin (MM_MIN_FREE_BYTES=0): the upload really runs into a full disk (ENOSPC) half-way, instead
    # of being refused up front because less than the default 1 GiB margin is free
    env -u MM_ADMIN_TOKEN -u MM_JOIN_TOKEN MM_MIN_FREE_BYTES=0 "$JAVA" --enable-native-access=ALL-UNNAMED \
        -cp "$LIB_DIR/*" io.modelmesh.controlplane.Main --port "$port" --home "$home" \
        >"$OUT_DIR/controlplane-disk.log" 2>&1 &
    CP2_PID=$!
    wait_health "control plane (full disk)" "$url" "$CP2_PID" "$OUT_DIR/controlplane-disk.log"
    local hdr="$home/auth.header"
    printf 'Authorization: Bearer %s\n' "$(<"$home/admin-token")" | write_secret "$hdr"
    code="$(curl -s -o "$OUT_DIR/full-disk-first.json" -w '%{http_code}' -H "@$hdr" -F name=iris \
        -F "file=@$REPO/fixtures/models/iris.onnx" "$url/models")"
    [ "$code" = 201 ] || die "full_disk: the first small registration answered $code: $(cat "$OUT_DIR/full-disk-first.json")"
    before="$(find "$home/artifacts" -type f ! -name '.upload-*' -exec sha256sum {} + | sort)"
    code="$(curl -s -o "$OUT_DIR/full-disk.json" -w '%{http_code}' -H "@$hdr" -F name=big -F "file=@$LARGE_MODEL" \
        "$url/models")"
    msg="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1])).get("message","")[:100])' \
        "$OUT_DIR/full-disk.json" 2>/dev/null || head -c 100 "$OUT_DIR/full-disk.json")"
    after="$(find "$home/artifacts" -type f ! -name '.upload-*' -exec sha256sum {} + | sort)"
    local left
    left="$(uploads_left "$home/artifacts")"
    small="$(curl -s -o /dev/null -w '%{http_code}' -H "@$hdr" -F name=iris2 \
        -F "file=@$REPO/fixtures/models/iris.onnx" -F version=1.0.1 "$url/models")"
    local intact=no
    [ "$before" != "$after" ] || intact=yes
    local verdict=FAIL
    if [ "$code" = 507 ] && [ "$intact" = yes ] && [ "$left" = 0 ] && { [ "$small" = 201 ] || [ "$small" = 200 ]; }; then
        verdict=PASS
    fi
    row "register 50 MB onto a 12 MiB artifact disk" "507 with a message; stored artifacts intact; a small one works after" \
        "$code \"$msg\"; stored artifacts unchanged: $intact; uploads left $left; then a small registration $small" "$verdict"
}

# ---- run ------------------------------------------------------------------------------------------------------------

start_stack
LIVE=("$DP_URL")
register_model "$MODEL" "$REPO/fixtures/models/iris.onnx"

IFS=, read -r -a WANTED <<<"$CASES"
for c in "${WANTED[@]}"; do
    declare -F "case_$c" >/dev/null || die "unknown case '$c' (BENCH_CHAOS_CASES: node_kill,node_term,cp_kill,pg_stop,redis_kill,register_kill,full_disk)"
done
for c in "${WANTED[@]}"; do
    log "case $c"
    "case_$c"
done

{
    echo "### Chaos suite"
    echo
    echo "$(env_summary); $(machine_summary); load average $(cut -d' ' -f1-3 /proc/loadavg); predictions $(auth_summary)."
    echo "Command: \`BENCH_CHAOS_CASES=$CASES BENCH_CHAOS_SECONDS=$SECONDS_PER_CASE bench/chaos.sh\`"
    echo
    echo "| Case | Target | Measured | Result |"
    echo "|---|---|---|---|"
    cat "$ROWS"
} | tee "$OUT_DIR/results.md"

if [ "$STRICT" = 1 ] && [ "$FAILED_CASES" -gt 0 ]; then
    die "$FAILED_CASES case(s) failed"
fi
