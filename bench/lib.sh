# shellcheck shell=bash
# Shared helpers for bench/*.sh: find a JDK, make sure the distribution is built, start a control plane and one data
# plane on free ports under a throw-away MM_HOME, wait for their /health, and clean everything up on exit.
# Source it from a script that has `set -euo pipefail`; it sets REPO, OUT_DIR, CP_URL, DP_URL, JAVA.
#
# Authentication: every control-plane request carries the bench home's bootstrap admin token (cp_curl, or mmctl with
# MM_HOME pointing at the bench home); with BENCH_AUTH=1 the nodes refuse anonymous predictions and every data-plane
# request carries a predict token made with POST /tokens (dp_curl, wrk through post.lua's WRK_TOKEN_FILE, the load
# generator's --token-file). Tokens only ever sit in owner-only files under the bench home, never on a command line.

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# BENCH_LIB_DIR: run from another classpath directory (e.g. an installed distribution); it is then never rebuilt
LIB_DIR="${BENCH_LIB_DIR:-$REPO/dist/target/modelmesh/lib}"
START_TIMEOUT="${BENCH_START_TIMEOUT:-180}" # seconds; the first embedded-PostgreSQL start unpacks binaries

CP_PID=""
DP_PID=""
EXTRA_PIDS=() # more data-plane nodes (start_extra_node), stopped by cleanup
WRK_PID="" # a load generator running in the background, stopped first by cleanup
MM_TMP_HOME=""
OUT_DIR=""
CP_URL=""
DP_URL=""
JAVA=""
BENCH_AUTH="${BENCH_AUTH:-0}" # 1: nodes refuse anonymous predictions; the bench sends a predict token
CP_AUTH_HEADER=""     # $MM_TMP_HOME/cp-auth.header: "Authorization: Bearer <admin token>", for curl -H @FILE
PREDICT_TOKEN_FILE="" # BENCH_AUTH=1: $MM_TMP_HOME/predict-token (the token alone), for post.lua and the load generator
DP_AUTH_HEADER=""     # BENCH_AUTH=1: $MM_TMP_HOME/dp-auth.header, for curl -H @FILE
case "$BENCH_AUTH" in
    0 | 1) ;;
    *) printf '[bench] ERROR: BENCH_AUTH must be 0 or 1, got %s\n' "$BENCH_AUTH" >&2; exit 1 ;;
esac

log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

die() {
    printf '\n[bench] ERROR: %s\n' "$*" >&2
    exit 1
}

need() {
    local cmd
    for cmd in "$@"; do
        command -v "$cmd" >/dev/null 2>&1 || die "'$cmd' is required but not on PATH (Debian: apt-get install $cmd)"
    done
}

# java_major BIN -> prints the feature version (17, 21, 25...), or nothing if BIN does not run
java_major() {
    local v
    v="$("$1" -version 2>&1 | awk -F'"' '/version "/ {print $2; exit}')" || true
    [ -n "$v" ] || return 0
    case "$v" in
        1.*) echo "$v" | cut -d. -f2 ;;
        *) echo "$v" | cut -d. -f1 | cut -d- -f1 | cut -d+ -f1 ;;
    esac
}

# find_java: JAVA_HOME, then java on PATH, then /usr/lib/jvm/*; the first one >= 21 wins (default java here is 17)
find_java() {
    local cand major seen=""
    local -a cands=()
    [ -n "${JAVA_HOME:-}" ] && cands+=("$JAVA_HOME/bin/java")
    command -v java >/dev/null 2>&1 && cands+=("$(command -v java)")
    for cand in /usr/lib/jvm/*/bin/java; do
        [ -e "$cand" ] && cands+=("$cand")
    done
    # prefer the newest under /usr/lib/jvm only after JAVA_HOME and PATH
    for cand in "${cands[@]}"; do
        [ -x "$cand" ] || continue
        major="$(java_major "$cand")"
        seen="$seen $cand(${major:-?})"
        if [ -n "$major" ] && [ "$major" -ge 21 ] 2>/dev/null; then
            JAVA="$cand"
            export JAVA_HOME
            JAVA_HOME="$(cd "$(dirname "$cand")/.." && pwd)"
            log "java: $JAVA (feature version $major)"
            return 0
        fi
    done
    die "no JDK >= 21 found (looked at:${seen:- nothing}). Set JAVA_HOME, e.g. JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64"
}

# jar_has_class JARGLOB CLASS: true when a jar matching JARGLOB holds CLASS (e.g. io.modelmesh.controlplane.Main)
jar_has_class() {
    local jar
    for jar in $1; do
        [ -f "$jar" ] || continue
        python3 - "$jar" "$2" <<'PY' && return 0
import sys, zipfile
sys.exit(0 if (sys.argv[2].replace(".", "/") + ".class") in zipfile.ZipFile(sys.argv[1]).namelist() else 1)
PY
    done
    return 1
}

dist_complete() {
    jar_has_class "$LIB_DIR/modelmesh-controlplane-*.jar" io.modelmesh.controlplane.Main \
        && jar_has_class "$LIB_DIR/modelmesh-dataplane-*.jar" io.modelmesh.dataplane.Main
}

# dist_stale: a pom.xml or main source file newer than the oldest of the two server jars
dist_stale() {
    local j newer
    for j in "$LIB_DIR"/modelmesh-controlplane-*.jar "$LIB_DIR"/modelmesh-dataplane-*.jar; do
        [ -f "$j" ] || return 0
        newer="$(find "$REPO" -path "$REPO/bench" -prune -o -path "$REPO/fixtures" -prune -o \
            \( -name pom.xml -o -path '*/src/main/*' \) -type f -newer "$j" -print -quit 2>/dev/null)"
        if [ -n "$newer" ]; then
            log "distribution is older than $newer"
            return 0
        fi
    done
    return 1
}

# ensure_dist: build dist/target/modelmesh/lib with `mvn -DskipTests install` when it is missing, lacks the servers'
# Main classes, or is older than the sources. BENCH_REBUILD=1 always rebuilds, BENCH_REBUILD=0 never does.
ensure_dist() {
    local mode="${BENCH_REBUILD:-auto}" build=0
    [ -z "${BENCH_LIB_DIR:-}" ] || mode=0
    case "$mode" in
        1) build=1 ;;
        0) build=0 ;;
        *) if ! dist_complete || dist_stale; then build=1; fi ;;
    esac
    if [ "$build" = 1 ]; then
        need mvn
        log "building the distribution: (cd $REPO && mvn -q -DskipTests install) with JAVA_HOME=$JAVA_HOME"
        (cd "$REPO" && mvn -q -DskipTests install) >"$OUT_DIR/mvn-build.log" 2>&1 \
            || { tail -n 40 "$OUT_DIR/mvn-build.log" >&2; die "maven build failed; full log: $OUT_DIR/mvn-build.log"; }
        log "build done"
    fi
    jar_has_class "$LIB_DIR/modelmesh-controlplane-*.jar" io.modelmesh.controlplane.Main \
        || die "no io.modelmesh.controlplane.Main in $LIB_DIR/modelmesh-controlplane-*.jar (is the control plane written and the dist module built?)"
    jar_has_class "$LIB_DIR/modelmesh-dataplane-*.jar" io.modelmesh.dataplane.Main \
        || die "no io.modelmesh.dataplane.Main in $LIB_DIR/modelmesh-dataplane-*.jar (is the data plane written and the dist module built?)"
}

# free_port: an ephemeral port nobody listens on right now
free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# make_out_dir NAME: bench/out/NAME-YYYYmmdd-HHMMSS (gitignored) for logs and results
make_out_dir() {
    OUT_DIR="$REPO/bench/out/$1-$(date +%Y%m%d-%H%M%S)"
    mkdir -p "$OUT_DIR"
    log "output: $OUT_DIR"
}

# stop_pid PID NAME: TERM, wait up to 15 s, then KILL
stop_pid() {
    local pid="$1" name="$2"
    [ -n "$pid" ] || return 0
    kill -0 "$pid" 2>/dev/null || return 0
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 150); do
        kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }
        sleep 0.1
    done
    log "$name (pid $pid) ignored SIGTERM for 15 s; sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}

cleanup() {
    local rc=$?
    set +e
    stop_pid "$WRK_PID" "wrk"
    local extra
    for extra in "${EXTRA_PIDS[@]}"; do
        stop_pid "$extra" "data plane"
    done
    stop_pid "$DP_PID" "data plane"
    stop_pid "$CP_PID" "control plane"
    if [ -n "$MM_TMP_HOME" ] && [ -d "$MM_TMP_HOME" ]; then
        # an embedded PostgreSQL left behind by a killed control plane: stop exactly the postmaster of OUR home
        local pidfile pgpid
        while IFS= read -r pidfile; do
            pgpid="$(head -n 1 "$pidfile" 2>/dev/null)"
            if [ -n "$pgpid" ] && kill -0 "$pgpid" 2>/dev/null; then
                log "stopping leftover PostgreSQL postmaster $pgpid ($pidfile)"
                kill -INT "$pgpid" 2>/dev/null
                sleep 2
                kill -0 "$pgpid" 2>/dev/null && kill -KILL "$pgpid" 2>/dev/null
            fi
        done < <(find "$MM_TMP_HOME" -name postmaster.pid 2>/dev/null)
        if [ "${BENCH_KEEP_HOME:-0}" = 1 ]; then
            log "kept MM_HOME $MM_TMP_HOME"
        else
            rm -rf "$MM_TMP_HOME"
        fi
    fi
    [ -n "$OUT_DIR" ] && log "logs and raw results: $OUT_DIR"
    exit "$rc"
}

# wait_health NAME URL PID LOGFILE: poll URL/health until 200, die with the log tail if the process exits or time runs out
wait_health() {
    local name="$1" url="$2" pid="$3" logf="$4" deadline
    deadline=$(($(date +%s) + START_TIMEOUT))
    while :; do
        if ! kill -0 "$pid" 2>/dev/null; then
            tail -n 40 "$logf" >&2
            die "$name exited during startup (log above; full log: $logf)"
        fi
        if curl -fsS -o /dev/null --max-time 2 "$url/health" 2>/dev/null; then
            log "$name is healthy at $url"
            return 0
        fi
        if [ "$(date +%s)" -ge "$deadline" ]; then
            tail -n 40 "$logf" >&2
            die "$name did not answer 200 on $url/health within ${START_TIMEOUT}s (BENCH_START_TIMEOUT); log: $logf"
        fi
        sleep 0.2
    done
}

# start_stack: control plane + one data plane (with --echo-route) on free ports, under a fresh MM_HOME
start_stack() {
    local cp_port dp_port
    cp_port="${CP_PORT:-$(free_port)}"
    dp_port="${DP_PORT:-$(free_port)}"
    [ "$cp_port" != "$dp_port" ] || dp_port="$(free_port)"
    MM_TMP_HOME="$(mktemp -d "${TMPDIR:-/tmp}/modelmesh-bench.XXXXXX")"
    # as root, embedded PostgreSQL runs initdb as 'nobody', which must be able to enter the home
    chmod 755 "$MM_TMP_HOME"
    CP_URL="http://127.0.0.1:$cp_port"
    DP_URL="http://127.0.0.1:$dp_port"
    local -a jvm=(--enable-native-access=ALL-UNNAMED)
    # libtorch is extracted once for all bench runs instead of into every fresh home (~430 MB)
    export DJL_CACHE_DIR="${DJL_CACHE_DIR:-$REPO/bench/out/djl-cache}"
    # shellcheck disable=SC2206 # BENCH_JAVA_OPTS is a deliberately word-split list of JVM options
    [ -n "${BENCH_JAVA_OPTS:-}" ] && jvm+=(${BENCH_JAVA_OPTS})

    start_cp
    setup_cp_auth
    [ "$BENCH_AUTH" = 0 ] || setup_predict_token

    log "starting data plane on $DP_URL (predictions: $(auth_summary))"
    env -u MM_ADMIN_TOKEN -u MM_JOIN_TOKEN "$JAVA" "$NODE_HEAP_FLOOR" "${jvm[@]}" -cp "$LIB_DIR/*" \
        io.modelmesh.dataplane.Main \
        --port "$dp_port" --control-plane "$CP_URL" --home "$MM_TMP_HOME" --echo-route "$(anonymous_predict_flag)" \
        >"$OUT_DIR/dataplane.log" 2>&1 &
    DP_PID=$!
    wait_health "data plane" "$DP_URL" "$DP_PID" "$OUT_DIR/dataplane.log"
    check_node_auth "data plane" "$DP_URL"
}

# the heap a node keeps, as mmctl up (ServerSpec.NODE_HEAP_FLOOR), k8s/base and the image start nodes. Until
# docs/benchmark_results.md section 18 the bench's nodes ran without it; BENCH_JAVA_OPTS come after it on the command
# line, so BENCH_JAVA_OPTS=-XX:MinHeapSize=8m measures a node with the JVM's own floor (8 MB on this machine)
NODE_HEAP_FLOOR=-Xms256m

# start_cp: (re)start the control plane of this stack on CP_URL's port and home, appending to controlplane.log (a
# restart after a kill finds the same database and admin token), and wait for its /health
start_cp() {
    local -a jvm=(--enable-native-access=ALL-UNNAMED)
    # shellcheck disable=SC2206 # BENCH_JAVA_OPTS is a deliberately word-split list of JVM options
    [ -n "${BENCH_JAVA_OPTS:-}" ] && jvm+=(${BENCH_JAVA_OPTS})
    # the servers make their own tokens in the bench home: tokens meant for another installation are not handed down
    log "starting control plane on $CP_URL (home $MM_TMP_HOME)"
    env -u MM_ADMIN_TOKEN -u MM_JOIN_TOKEN "$JAVA" "${jvm[@]}" -cp "$LIB_DIR/*" io.modelmesh.controlplane.Main \
        --port "${CP_URL##*:}" --home "$MM_TMP_HOME" >>"$OUT_DIR/controlplane.log" 2>&1 &
    CP_PID=$!
    wait_health "control plane" "$CP_URL" "$CP_PID" "$OUT_DIR/controlplane.log"
}

# ---- authentication -------------------------------------------------------------------------------------------------

# write_secret FILE: stdin -> FILE, created owner-only (no moment at which it is readable by others)
write_secret() {
    (umask 077 && cat >"$1") || die "could not write $1"
    chmod 600 "$1"
}

# setup_cp_auth: after the control plane is healthy, write the header file with the admin token it wrote at first start
# ($MM_TMP_HOME/admin-token), and check that the control plane accepts it
setup_cp_auth() {
    local token_file="$MM_TMP_HOME/admin-token" code
    [ -s "$token_file" ] || die "the control plane did not write $token_file at its first start; see $OUT_DIR/controlplane.log"
    CP_AUTH_HEADER="$MM_TMP_HOME/cp-auth.header"
    printf 'Authorization: Bearer %s\n' "$(<"$token_file")" | write_secret "$CP_AUTH_HEADER"
    code="$(cp_curl -s -o /dev/null -w '%{http_code}' --max-time 10 "$CP_URL/tokens")" || true
    [ "$code" = 200 ] || die "the control plane refuses its own admin token from $token_file (GET /tokens: HTTP $code)"
}

# setup_predict_token (BENCH_AUTH=1): POST /tokens {"name":"bench","scopes":["predict"]} with the admin token; the token
# goes to $MM_TMP_HOME/predict-token and, as a header line, to $MM_TMP_HOME/dp-auth.header
setup_predict_token() {
    local resp="$MM_TMP_HOME/token-bench.json" code
    code="$( (umask 077 && cp_curl -sS -o "$resp" -w '%{http_code}' --max-time 30 -H 'Content-Type: application/json' \
        -d '{"name":"bench","scopes":["predict"]}' "$CP_URL/tokens"))" || die "could not reach $CP_URL/tokens"
    if [ "$code" != 201 ]; then
        cat "$resp" >&2
        echo >&2
        rm -f "$resp"
        die "creating the predict token: POST $CP_URL/tokens answered HTTP $code (body above)"
    fi
    PREDICT_TOKEN_FILE="$MM_TMP_HOME/predict-token"
    python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["token"])' "$resp" | write_secret "$PREDICT_TOKEN_FILE"
    rm -f "$resp"
    [ -s "$PREDICT_TOKEN_FILE" ] || die "POST /tokens answered 201 without a token"
    DP_AUTH_HEADER="$MM_TMP_HOME/dp-auth.header"
    printf 'Authorization: Bearer %s\n' "$(<"$PREDICT_TOKEN_FILE")" | write_secret "$DP_AUTH_HEADER"
    log "created predict token 'bench' ($PREDICT_TOKEN_FILE)"
}

# anonymous_predict_flag: the data plane's flag for BENCH_AUTH (explicit either way, so a changed default shows)
anonymous_predict_flag() {
    if [ "$BENCH_AUTH" = 1 ]; then echo --allow-anonymous-predict=false; else echo --allow-anonymous-predict=true; fi
}

# auth_summary: how predictions are authenticated in this run, for logs and reports
auth_summary() {
    if [ "$BENCH_AUTH" = 1 ]; then
        echo "with a predict token on every request (BENCH_AUTH=1; nodes run with --allow-anonymous-predict=false)"
    else
        echo "anonymous (BENCH_AUTH=0; nodes run with --allow-anonymous-predict=true)"
    fi
}

# cp_curl ARGS...: curl with the admin token (every control-plane request)
cp_curl() { curl -H "@$CP_AUTH_HEADER" "$@"; }

# dp_curl ARGS...: curl with the predict token when BENCH_AUTH=1 (every data-plane request)
dp_curl() {
    if [ -n "$DP_AUTH_HEADER" ]; then curl -H "@$DP_AUTH_HEADER" "$@"; else curl "$@"; fi
}

# check_node_auth NAME URL (BENCH_AUTH=1): the node refuses an anonymous prediction with 401, and accepts the predict
# token once its credentials arrived from the control plane (at its next heartbeat). Probed on a model nobody
# registers: the token check comes first, so an accepted token answers 404.
check_node_auth() {
    [ "$BENCH_AUTH" = 1 ] || return 0
    local name="$1" url="$2/predict/bench-auth-probe" code deadline
    code="$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 -H 'Content-Type: application/json' -d '{}' "$url")" || true
    [ "$code" = 401 ] || die "$name: an anonymous POST $url answered HTTP $code, not 401 (is --allow-anonymous-predict=false in effect?)"
    deadline=$(($(date +%s) + 60))
    while :; do
        code="$(dp_curl -s -o /dev/null -w '%{http_code}' --max-time 10 -H 'Content-Type: application/json' -d '{}' "$url")" || true
        case "$code" in
            000 | 401 | 403) ;;
            *) log "$name accepts the predict token (probe answered $code)"; return 0 ;;
        esac
        [ "$(date +%s)" -lt "$deadline" ] || die "$name still refuses the predict token after 60 s (HTTP $code)"
        sleep 0.2
    done
}

# start_extra_node ID [FLAGS...]: one more data plane (after start_stack) on a free port with node id ID and any extra
# data-plane flags; prints nothing, appends
# its URL to EXTRA_URLS and its pid to EXTRA_PIDS
EXTRA_URLS=()
start_extra_node() { # start_extra_node ID [DATA-PLANE FLAGS...]
    local id="$1" port url
    shift
    port="$(free_port)"
    url="http://127.0.0.1:$port"
    local -a jvm=(--enable-native-access=ALL-UNNAMED)
    # shellcheck disable=SC2206 # BENCH_JAVA_OPTS is a deliberately word-split list of JVM options
    [ -n "${BENCH_JAVA_OPTS:-}" ] && jvm+=(${BENCH_JAVA_OPTS})
    log "starting data plane $id on $url"
    env -u MM_ADMIN_TOKEN -u MM_JOIN_TOKEN "$JAVA" "$NODE_HEAP_FLOOR" "${jvm[@]}" -cp "$LIB_DIR/*" \
        io.modelmesh.dataplane.Main \
        --port "$port" --control-plane "$CP_URL" --home "$MM_TMP_HOME" --node-id "$id" "$(anonymous_predict_flag)" "$@" \
        >"$OUT_DIR/dataplane-$id.log" 2>&1 &
    EXTRA_PIDS+=($!)
    EXTRA_URLS+=("$url")
    wait_health "data plane $id" "$url" "$!" "$OUT_DIR/dataplane-$id.log"
    check_node_auth "data plane $id" "$url"
}

# register_model NAME FILE: POST /models multipart (or $MMCTL register when MMCTL is set); dies on anything but 200/201.
# mmctl runs with MM_HOME at the bench home, where it finds admin-token (and without an MM_TOKEN from the caller).
register_model() {
    local name="$1" file="$2" code resp="$OUT_DIR/register-$1.json"
    if [ -n "${MMCTL:-}" ]; then
        env -u MM_TOKEN MM_HOME="$MM_TMP_HOME" MM_CONTROL_PLANE="$CP_URL" "$MMCTL" register "$name" --file "$file" \
            >"$resp" 2>&1 || { cat "$resp" >&2; die "'$MMCTL register $name --file $file' failed (output above)"; }
        return 0
    fi
    code="$(cp_curl -sS -o "$resp" -w '%{http_code}' -F "name=$name" -F "file=@$file" "$CP_URL/models")" \
        || die "could not reach the control plane at $CP_URL/models to register $name"
    case "$code" in
        200 | 201) ;;
        *)
            cat "$resp" >&2
            echo >&2
            die "registering $name from $file: POST $CP_URL/models answered HTTP $code (body above)"
            ;;
    esac
}

# post_code URL BODY: prints the HTTP status of a JSON POST to a node (000 when the connection fails)
post_code() {
    dp_curl -s -o /dev/null -w '%{http_code}' --max-time 10 -H 'Content-Type: application/json' -d "$2" "$1" || true
}

# wait_200 URL BODY TIMEOUT_S: poll a JSON POST until 200; dies with the last answer otherwise
wait_200() {
    local url="$1" body="$2" timeout="$3" deadline code
    deadline=$(($(date +%s) + timeout))
    while :; do
        code="$(post_code "$url" "$body")"
        [ "$code" = 200 ] && return 0
        if [ "$(date +%s)" -ge "$deadline" ]; then
            echo "last answer from POST $url (HTTP $code):" >&2
            dp_curl -s --max-time 10 -H 'Content-Type: application/json' -d "$body" "$url" >&2 || true
            echo >&2
            kill -0 "$DP_PID" 2>/dev/null || log "the data plane is no longer running; see $OUT_DIR/dataplane.log"
            die "POST $url did not answer 200 within ${timeout}s"
        fi
        sleep 0.1
    done
}

# stats: numbers on stdin -> "min median max"
stats() { # stdin: numbers -> "min median max"
    sort -n | awk '{ v[NR] = $1 } END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%d %.0f %d\n", v[1], m, v[NR] }'
}

# env_summary: one markdown line describing where and how this ran
env_summary() {
    local commit
    commit="$(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo unknown)"
    if [ -n "$(git -C "$REPO" status --porcelain --untracked-files=no 2>/dev/null)" ]; then commit="$commit+dirty"; fi
    printf '%s, commit %s, %s cores, %s, %s' "$(date -u +%Y-%m-%dT%H:%MZ)" "$commit" "$(nproc)" \
        "$("$JAVA" -version 2>&1 | head -n 1)" "$(wrk -v 2>&1 | head -n 1 | awk '{print $1, $2}')"
}

# ---- added for bench/suite.sh -------------------------------------------------------------------------------------

LOADGEN_DIR="$REPO/bench/loadgen"
# shellcheck disable=SC2034 # used by the scripts that source this file
LOADGEN_CP="$LOADGEN_DIR/target/loadgen.jar:$LOADGEN_DIR/target/lib/*"

# ensure_loadgen: build bench/loadgen (jar + target/lib) with Maven when the jar is missing or older than its sources;
# BENCH_REBUILD=1 always builds, BENCH_REBUILD=0 never does (then the jar must exist)
ensure_loadgen() {
    local jar="$LOADGEN_DIR/target/loadgen.jar" mode="${BENCH_REBUILD:-auto}" build=0
    case "$mode" in
        1) build=1 ;;
        0) build=0 ;;
        *)
            if [ ! -f "$jar" ] || ! compgen -G "$LOADGEN_DIR/target/lib/HdrHistogram-*.jar" >/dev/null \
                || [ -n "$(find "$LOADGEN_DIR/pom.xml" "$LOADGEN_DIR/src/main" -type f -newer "$jar" -print -quit)" ]; then
                build=1
            fi
            ;;
    esac
    if [ "$build" = 1 ]; then
        need mvn
        log "building the load generator: mvn -q -DskipTests -f bench/loadgen/pom.xml package"
        (cd "$REPO" && mvn -q -DskipTests -f bench/loadgen/pom.xml package) >"$OUT_DIR/mvn-loadgen.log" 2>&1 \
            || { tail -n 40 "$OUT_DIR/mvn-loadgen.log" >&2; die "building bench/loadgen failed; log: $OUT_DIR/mvn-loadgen.log"; }
    fi
    [ -f "$jar" ] || die "$jar is missing; build it with: mvn -DskipTests -f bench/loadgen/pom.xml package"
}

# result_field NAME LINE -> value of NAME=value in a BENCH_RESULT (wrk) or LOADGEN_RESULT line
result_field() { printf '%s\n' "$2" | tr ' ' '\n' | awk -F= -v k="$1" '$1 == k {print $2}'; }

# wrk_post LABEL URL DURATION THREADS CONNECTIONS BODY [TIMEOUT]: one wrk run with bench/post.lua; raw output in
# $OUT_DIR/wrk-LABEL.txt; sets WRK_RESULT to its BENCH_RESULT line. TIMEOUT (wrk --timeout, default wrk's 2s): answers
# slower than it are counted as timeouts, not latencies. Runs in the background + wait, because wrk catches SIGINT and
# exits 0, which would hide a Ctrl-C from the caller's trap. Dies when wrk fails or the data plane died.
WRK_RESULT=""
wrk_post() {
    local label="$1" url="$2" dur="$3" threads="$4" conns="$5" body="$6" outf="$OUT_DIR/wrk-$1.txt" rc=0
    local -a timeout=()
    [ -z "${7:-}" ] || timeout=(--timeout "$7")
    log "wrk -t$threads -c$conns -d$dur ${timeout[*]} --latency POST $url ($label)"
    WRK_BODY="$body" WRK_TOKEN_FILE="$PREDICT_TOKEN_FILE" wrk -t"$threads" -c"$conns" -d"$dur" "${timeout[@]}" --latency -s "$REPO/bench/post.lua" "$url" >"$outf" 2>&1 &
    WRK_PID=$!
    wait "$WRK_PID" || rc=$?
    WRK_PID=""
    if [ "$rc" != 0 ]; then
        cat "$outf" >&2
        die "wrk failed for $label (exit $rc, output above)"
    fi
    WRK_RESULT="$(grep '^BENCH_RESULT ' "$outf" || true)"
    [ -n "$WRK_RESULT" ] || { cat "$outf" >&2; die "wrk printed no BENCH_RESULT line for $label (is bench/post.lua intact?)"; }
    kill -0 "$DP_PID" 2>/dev/null || die "the data plane died during $label; see $OUT_DIR/dataplane.log"
}

# deploy_policy MODEL VERSION 'JSON FIELDS': POST /deployments {"model","version", FIELDS}, e.g.
# deploy_policy iris 1.0.0 '"cache_ttl_seconds":300'; dies unless 200/201 with every live node acknowledging
deploy_policy() {
    local model="$1" version="$2" fields="$3" code resp="$OUT_DIR/deploy-$1.json" body
    body="{\"model\":\"$model\",\"version\":\"$version\"${fields:+,$fields}}"
    code="$(cp_curl -sS -o "$resp" -w '%{http_code}' --max-time 120 -H 'Content-Type: application/json' -d "$body" \
        "$CP_URL/deployments")" || die "could not reach the control plane at $CP_URL/deployments"
    case "$code" in
        200 | 201) ;;
        *)
            cat "$resp" >&2
            echo >&2
            die "POST $CP_URL/deployments $body answered HTTP $code (body above)"
            ;;
    esac
    python3 - "$resp" <<'PY' || die "deployment $body was not acknowledged by every node (answer: $(cat "$resp"))"
import json, sys
d = json.load(open(sys.argv[1]))
sys.exit(0 if not d.get("errors") and d.get("nodes_acked", 0) >= d.get("nodes_total", 0) else 1)
PY
    log "deployed $model $version with {${fields}}"
}

# the batch-friendly MLP (64 -> 1024 -> 1024 -> 1024 -> 10), generated on demand, never committed; one row for it
BATCHY_FILE="$REPO/bench/models/batchy.onnx"
# shellcheck disable=SC2034 # used by the scripts that source this file
BATCHY_BODY="$(awk 'BEGIN { printf "{\"inputs\":["; for (i = 0; i < 64; i++) printf "%s%.3f", (i ? "," : ""), ((i * 37) % 101) / 100 - 0.5; printf "]}" }')"

# ensure_batchy: generate $BATCHY_FILE with fixtures/make_fixtures.py --batchy when it is missing (Debian python3-torch
# and python3-onnx; seeded, so every machine gets the same bytes)
ensure_batchy() {
    [ ! -f "$BATCHY_FILE" ] || return 0
    log "generating $BATCHY_FILE: /usr/bin/python3 fixtures/make_fixtures.py --batchy $BATCHY_FILE"
    mkdir -p "$(dirname "$BATCHY_FILE")"
    /usr/bin/python3 "$REPO/fixtures/make_fixtures.py" --batchy "$BATCHY_FILE" >"$OUT_DIR/make-batchy.log" 2>&1 \
        || { tail -n 20 "$OUT_DIR/make-batchy.log" >&2; die "could not generate $BATCHY_FILE (needs Debian python3-torch and python3-onnx)"; }
}

# rss_kb PID -> VmRSS of PID in kB from /proc/PID/status (empty when the process is gone)
rss_kb() { awk '$1 == "VmRSS:" {print $2}' "/proc/$1/status" 2>/dev/null || true; }

# cpu_ticks PID -> the CPU time PID has used, user + system over all its threads, in clock ticks (getconf CLK_TCK a
# second), from /proc/PID/stat; the fields are counted after "(comm) ", which may itself hold spaces
cpu_ticks() { awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$1/stat"; }
CLK_TCK="$(getconf CLK_TCK)"

# machine_summary: one line naming the CPU, core count, memory and OS
machine_summary() {
    local cpu os mem
    cpu="$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo 2>/dev/null)"
    mem="$(awk '$1 == "MemTotal:" {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo 2>/dev/null)"
    os="$(. /etc/os-release 2>/dev/null && echo "${PRETTY_NAME:-}")"
    printf '%s, %s cores, %s RAM, %s, kernel %s' "${cpu:-unknown CPU}" "$(nproc)" "${mem:-?}" "${os:-unknown OS}" "$(uname -r)"
}
