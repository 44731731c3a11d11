#!/usr/bin/env bash
# Runs compose.yaml for real with podman-compose and checks it end to end, printing a PASS or FAIL line per step with
# its time, then "compose-smoke: N passed, M failed". Steps: build the image (deploy/build-images.sh --base debian)
# and the Debian stand-ins for postgres, redis and prometheus (deploy/standins/build.sh; used through
# deploy/compose.smoke.yaml), make the secrets (deploy/compose-secrets.sh), bring the stack up (Grafana is left out:
# Debian has no package for it), wait for every healthcheck, check the containers' user, read-only root and heap,
# one leader among the two control planes, Prometheus scraping all four servers, register iris from fixtures/ with
# mmctl, predict on both nodes, run a canary and promote it, see an answer one node computed come from the shared
# Redis cache on the other, stop a node while a request slowed by chaos latency is in flight (it must get its answer
# and the node must exit on SIGTERM, not be killed), and bring everything down with its volumes.
#
#   deploy/compose-smoke.sh [--skip-build] [--keep]
#
# --skip-build uses the images already built; --keep leaves the stack up at the end (and after a failure) for a look.
# Needs root, podman, podman-compose, mmdebstrap, runc, curl, python3 and a JDK 21+ (JAVA_HOME); on this machine
# /etc/containers/containers.conf sets [containers] default_ulimits = [] and [engine] runtime = "runc" (docs/deploy.md).
# Environment: MM_SMOKE_PORT_BASE (18000): the stack is published on 127.0.0.1 at BASE (node-1), BASE+1 (node-2),
# BASE+80 and BASE+81 (control planes), BASE+90 (Prometheus); MM_MAVEN_ARGS is passed to the Maven build.
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
SKIP_BUILD=0
KEEP=0
for a in "$@"; do
    case "$a" in
        --skip-build) SKIP_BUILD=1 ;;
        --keep) KEEP=1 ;;
        -h | --help) sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "compose-smoke.sh: unknown option '$a' (try --help)" >&2; exit 2 ;;
    esac
done

PROJECT=mmsmoke
BASE="${MM_SMOKE_PORT_BASE:-18000}"
export MM_NODE_1_PORT=$BASE MM_NODE_2_PORT=$((BASE + 1))
export MM_CONTROLPLANE_1_PORT=$((BASE + 80)) MM_CONTROLPLANE_2_PORT=$((BASE + 81)) MM_PROMETHEUS_PORT=$((BASE + 90))
SERVICES=(postgres redis controlplane-1 controlplane-2 node-1 node-2 prometheus)
COMPOSE=(podman-compose -p "$PROJECT" -f compose.yaml -f deploy/compose.smoke.yaml)
CP_URLS="http://127.0.0.1:$MM_CONTROLPLANE_1_PORT,http://127.0.0.1:$MM_CONTROLPLANE_2_PORT"
NODE_URLS=("http://127.0.0.1:$MM_NODE_1_PORT" "http://127.0.0.1:$MM_NODE_2_PORT")
LOG_DIR="$(mktemp -d "${TMPDIR:-/tmp}/mm-compose-smoke.XXXXXX")"
TOKEN_FILE="$ROOT/.compose/secrets/admin-token"
AUTH_HEADER="$LOG_DIR/auth.header"
PASSED=0
FAILED=0
STARTED=0

# PASS/FAIL lines go to stdout; everything the commands print goes to $LOG_DIR/*.log.
step_start() {
    STEP="$1"
    STEP_T0=$(date +%s.%N)
}
elapsed() {
    awk -v a="$STEP_T0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }'
}
pass() {
    PASSED=$((PASSED + 1))
    printf 'PASS %-36s %7s s  %s\n' "$STEP" "$(elapsed)" "${1:-}"
}
fail() {
    FAILED=$((FAILED + 1))
    printf 'FAIL %-36s %7s s  %s\n' "$STEP" "$(elapsed)" "$1"
}
# A step that fails stops the run: the later steps need it.
fatal() {
    fail "$1"
    finish
}

container() {
    echo "${PROJECT}_$1_1"
}

down() {
    "${COMPOSE[@]}" down -v -t 35 >>"$LOG_DIR/down.log" 2>&1
}

finish() {
    if [ "$STARTED" = 1 ] && [ "$KEEP" = 0 ]; then
        step_start "down (containers and volumes)"
        down
        local left
        left="$(podman ps -a --filter "label=io.podman.compose.project=$PROJECT" --format '{{.Names}}' | wc -l)"
        if [ "$left" = 0 ]; then pass "no container of $PROJECT left"; else fail "$left containers left"; fi
    elif [ "$KEEP" = 1 ]; then
        echo "compose-smoke: --keep: the stack is still up (${COMPOSE[*]} down -v -t 35)" >&2
    fi
    echo "compose-smoke: logs in $LOG_DIR" >&2
    echo "compose-smoke: $PASSED passed, $FAILED failed"
    [ "$FAILED" = 0 ]
    exit $?
}
trap 'echo "compose-smoke: interrupted" >&2; FAILED=$((FAILED + 1)); finish' INT TERM

# mmctl from the jars the image was built from, on the host, as a user of the stack would run it.
mmctl() {
    MM_CONTROL_PLANE="$CP_URLS" MM_DATA_PLANE="$(IFS=,; echo "${NODE_URLS[*]}")" NO_COLOR=1 \
        "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -cp "$ROOT/dist/target/modelmesh/lib/*" \
        io.modelmesh.cli.MmCtl "$@" --token-file "$TOKEN_FILE"
}

# predict NODE_URL [BODY]: the model_version that answered one prediction of iris
predict_version() {
    local body="${2:-}"
    [ -n "$body" ] || body='{"inputs": [5.1, 3.5, 1.4, 0.2]}'
    curl -fsS -H @"$AUTH_HEADER" -H 'Content-Type: application/json' -d "$body" "$1/predict/iris" \
        | python3 -c 'import json,sys; print(json.load(sys.stdin)["model_version"])'
}

# a prediction body no earlier request sent, so no cache holds its answer
fresh_body() {
    printf '{"inputs": [%d.%05d, 3.0, 4.5, 1.5]}' $((4 + RANDOM % 3)) $((RANDOM))
}

# wait_until SECONDS COMMAND...: runs COMMAND every half second until it succeeds; fails after SECONDS
wait_until() {
    local deadline=$(($(date +%s) + $1))
    shift
    until "$@" >/dev/null 2>&1; do
        [ "$(date +%s)" -lt "$deadline" ] || return 1
        sleep 0.5
    done
}

for cmd in podman podman-compose curl python3; do
    command -v "$cmd" >/dev/null 2>&1 || { echo "compose-smoke.sh: $cmd is not on PATH" >&2; exit 1; }
done
if [ -z "${JAVA_HOME:-}" ] || [ ! -x "$JAVA_HOME/bin/java" ]; then
    echo "compose-smoke.sh: set JAVA_HOME to a JDK 21 or newer" >&2
    exit 1
fi
echo "compose-smoke: $(podman --version), podman-compose $(podman-compose version 2>/dev/null \
    | sed -n 's/^podman-composer* version *//p' | head -n 1), logs in $LOG_DIR" >&2

# --- build ---
if [ "$SKIP_BUILD" = 0 ]; then
    step_start "build image modelmesh:0.1.0"
    if deploy/build-images.sh --engine podman --base debian >"$LOG_DIR/build-images.log" 2>&1; then
        pass "$(tail -n 1 "$LOG_DIR/build-images.log" | sed 's/^build-images.sh: //')"
    else
        fatal "deploy/build-images.sh failed: $LOG_DIR/build-images.log"
    fi
    step_start "build stand-ins (Debian packages)"
    if deploy/standins/build.sh >"$LOG_DIR/standins.log" 2>&1; then
        pass "postgres 15, redis 7, prometheus 2 (no Grafana: not packaged)"
    else
        fatal "deploy/standins/build.sh failed: $LOG_DIR/standins.log"
    fi
fi
[ -d dist/target/modelmesh/lib ] || { echo "compose-smoke.sh: no dist/target/modelmesh/lib" >&2; exit 1; }

step_start "secrets"
if deploy/compose-secrets.sh >"$LOG_DIR/secrets.log" 2>&1; then
    umask 077
    printf 'Authorization: Bearer %s\n' "$(head -n 1 "$TOKEN_FILE")" >"$AUTH_HEADER"
    pass "$(sed 's/^compose-secrets.sh: //' "$LOG_DIR/secrets.log")"
else
    fatal "deploy/compose-secrets.sh failed: $LOG_DIR/secrets.log"
fi

# --- up ---
down # a stack an earlier run left behind
step_start "up (${#SERVICES[@]} services, no grafana)"
STARTED=1
if "${COMPOSE[@]}" up -d "${SERVICES[@]}" >"$LOG_DIR/up.log" 2>&1; then
    pass "$(podman ps --filter "label=io.podman.compose.project=$PROJECT" --format '{{.Names}}' | wc -l) containers"
else
    fatal "podman-compose up failed: $LOG_DIR/up.log"
fi

# podman runs healthchecks from systemd timers, which this machine lacks: run each one as compose.yaml defines it.
step_start "healthchecks"
for s in postgres redis controlplane-1 controlplane-2 node-1 node-2; do
    if ! wait_until 300 podman healthcheck run "$(container "$s")"; then
        for l in "${SERVICES[@]}"; do podman logs "$(container "$l")" >"$LOG_DIR/$l.log" 2>&1; done
        fatal "$s not healthy after 300 s (logs: $LOG_DIR/$s.log)"
    fi
done
pass "postgres, redis, both control planes (GET /health), both nodes (GET /v2/health/ready)"

step_start "non-root, read-only, heap from limit"
problems=""
for s in controlplane-1 controlplane-2 node-1 node-2; do
    c="$(container "$s")"
    uid="$(podman exec "$c" id -u)"
    [ "$uid" = 10001 ] || problems="$problems $s:uid=$uid"
    [ "$(podman inspect --format '{{.HostConfig.ReadonlyRootfs}}' "$c")" = true ] || problems="$problems $s:rw-root"
    podman exec "$c" touch /opt/modelmesh/x 2>/dev/null && problems="$problems $s:root-writable"
done
heap="$(podman exec "$(container node-1)" jcmd 1 VM.flags 2>/dev/null | tr ' ' '\n' \
    | sed -n 's/^-XX:MaxHeapSize=//p')"
limit="$(podman inspect --format '{{.HostConfig.Memory}}' "$(container node-1)")"
if [ -z "$problems" ] && [ -n "$heap" ] && [ "$limit" -gt 0 ]; then
    pass "uid 10001, root read-only; node heap $((heap >> 20)) MiB of a $((limit >> 20)) MiB limit"
else
    fail "${problems:-} heap=${heap:-?} limit=${limit:-?}"
fi

step_start "one leader of two control planes"
one_leader() {
    local port leaders=0
    for port in "$MM_CONTROLPLANE_1_PORT" "$MM_CONTROLPLANE_2_PORT"; do
        if curl -fsS "http://127.0.0.1:$port/health" | grep -q '"leader":true'; then leaders=$((leaders + 1)); fi
    done
    [ "$leaders" = 1 ]
}
if wait_until 30 one_leader; then
    pass "GET /health: exactly one holds the controller lease"
else
    fail "not exactly one leader: curl 127.0.0.1:$MM_CONTROLPLANE_1_PORT/health and :$MM_CONTROLPLANE_2_PORT"
fi

# --- register, predict ---
step_start "register iris 1.0.0 (mmctl)"
if mmctl register iris --file fixtures/models/iris_logreg.pkl --version 1.0.0 >"$LOG_DIR/register-1.log" 2>&1; then
    pass "fixtures/models/iris_logreg.pkl, live at 100 %"
else
    fatal "mmctl register failed: $LOG_DIR/register-1.log"
fi

step_start "predict on both nodes"
ok=1
for url in "${NODE_URLS[@]}"; do
    wait_until 60 test "$(predict_version "$url" 2>/dev/null)" = 1.0.0 || { ok=0; fail "$url does not serve 1.0.0"; }
done
if [ "$ok" = 1 ]; then
    out="$(mmctl predict iris --input '[5.1, 3.5, 1.4, 0.2]' 2>&1)"
    if echo "$out" | grep -q setosa; then pass "1.0.0 on node-1 and node-2; mmctl predict: setosa"
    else fail "mmctl predict: $out"; fi
fi

# --- canary ---
step_start "canary 1.1.0 at 50 %, then promote"
if ! mmctl register iris --file fixtures/models/iris_rf.pkl --version 1.1.0 --no-deploy \
        >"$LOG_DIR/register-2.log" 2>&1; then
    fatal "registering 1.1.0 failed: $LOG_DIR/register-2.log"
fi
if ! mmctl canary iris --version 1.1.0 --percent 50 >"$LOG_DIR/canary.log" 2>&1; then
    fatal "mmctl canary failed: $LOG_DIR/canary.log"
fi
seen=" "
deadline=$(($(date +%s) + 60))
while [ "$(date +%s)" -lt "$deadline" ] && ! { [[ "$seen" == *" 1.0.0 "* ]] && [[ "$seen" == *" 1.1.0 "* ]]; }; do
    for url in "${NODE_URLS[@]}"; do
        v="$(predict_version "$url" 2>/dev/null)" || continue
        [[ "$seen" == *" $v "* ]] || seen="$seen$v "
    done
done
mmctl status iris >"$LOG_DIR/status-canary.log" 2>&1
if ! { [[ "$seen" == *" 1.0.0 "* ]] && [[ "$seen" == *" 1.1.0 "* ]]; }; then
    fail "answers came from versions:$seen(status: $LOG_DIR/status-canary.log)"
elif ! mmctl promote iris >"$LOG_DIR/promote.log" 2>&1; then
    fail "mmctl promote failed: $LOG_DIR/promote.log"
else
    promoted=1
    for url in "${NODE_URLS[@]}"; do
        wait_until 60 test "$(predict_version "$url" 2>/dev/null)" = 1.1.0 || promoted=0
    done
    mmctl history iris >"$LOG_DIR/history.log" 2>&1
    if [ "$promoted" = 1 ]; then pass "both versions answered during the canary; 1.1.0 alone after promote"
    else fail "1.1.0 not served alone after promote (history: $LOG_DIR/history.log)"; fi
fi

# The nodes share one prediction cache in Redis: an answer node-1 computed is a cache hit on node-2.
step_start "shared cache (Redis) across nodes"
cached_on_node_2() {
    local body
    body="$(fresh_body)"
    predict_version "${NODE_URLS[0]}" "$body" >/dev/null || return 1
    curl -fsS -H @"$AUTH_HEADER" -H 'Content-Type: application/json' -d "$body" "${NODE_URLS[1]}/predict/iris" \
        | python3 -c 'import json,sys; sys.exit(0 if json.load(sys.stdin).get("cached") is True else 1)'
}
if ! mmctl deploy iris --version 1.1.0 --cache-ttl 300 >"$LOG_DIR/deploy-cache.log" 2>&1; then
    fail "mmctl deploy --cache-ttl failed: $LOG_DIR/deploy-cache.log"
elif wait_until 60 cached_on_node_2; then
    keys="$(podman exec "$(container redis)" redis-cli dbsize 2>/dev/null)"
    pass "node-1's answer was a cache hit on node-2; ${keys:-?} keys in Redis"
else
    fail "node-2 never answered from node-1's cache entry"
fi

step_start "prometheus scrapes 4 servers"
targets_up() {
    curl -fsS "http://127.0.0.1:$MM_PROMETHEUS_PORT/api/v1/targets" | python3 -c '
import json, sys
t = json.load(sys.stdin)["data"]["activeTargets"]
sys.exit(0 if len(t) == 4 and all(x["health"] == "up" for x in t) else 1)'
}
rules="$(curl -fsS "http://127.0.0.1:$MM_PROMETHEUS_PORT/api/v1/rules" 2>/dev/null | python3 -c '
import json, sys
print(sum(len(g["rules"]) for g in json.load(sys.stdin)["data"]["groups"]))' 2>/dev/null)"
if wait_until 60 targets_up; then pass "both control planes and both nodes up; ${rules:-0} alert rules loaded"
else fail "not every target is up: curl 127.0.0.1:$MM_PROMETHEUS_PORT/api/v1/targets"; fi

# --- graceful stop ---
# A request in flight when SIGTERM arrives must finish: chaos adds 4 s to every prediction of 1.1.0, one is sent to
# node-2, and node-2 is stopped while it runs.
step_start "node-2 drains on SIGTERM"
slow_prediction() {
    local t0
    t0=$(date +%s.%N)
    predict_version "${NODE_URLS[1]}" "$(fresh_body)" >/dev/null 2>&1 || return 1
    awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { exit (b - a >= 3.5) ? 0 : 1 }'
}
c="$(container node-2)"
if ! mmctl chaos iris --version 1.1.0 --error-rate 0 --latency-ms 4000 --for 5m >"$LOG_DIR/chaos.log" 2>&1 \
        || ! wait_until 60 slow_prediction; then
    fail "4 s of chaos latency never reached node-2: $LOG_DIR/chaos.log"
else
    curl -sS -o "$LOG_DIR/in-flight.json" -w '%{http_code}' -H @"$AUTH_HEADER" -H 'Content-Type: application/json' \
        -d "$(fresh_body)" "${NODE_URLS[1]}/predict/iris" >"$LOG_DIR/in-flight.status" 2>&1 &
    in_flight=$!
    sleep 1 # the request is inside its 4 s delay
    stop_t0=$(date +%s.%N)
    podman stop -t 35 "$c" >/dev/null 2>&1
    stopped_after="$(awk -v a="$stop_t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')"
    wait "$in_flight"
    code="$(podman inspect --format '{{.State.ExitCode}}' "$c")"
    podman logs "$c" >"$LOG_DIR/node-2.log" 2>&1
    status="$(cat "$LOG_DIR/in-flight.status")"
    if [ "$status" = 200 ] && grep -q 'draining' "$LOG_DIR/node-2.log" \
            && grep -q 'data plane node-2 stopped' "$LOG_DIR/node-2.log" && [ "$code" != 137 ]; then
        pass "the request in flight got 200; stopped ${stopped_after} s after SIGTERM, exit $code (not killed)"
    else
        fail "in-flight request: $status, exit $code, stopped after ${stopped_after} s; log: $LOG_DIR/node-2.log"
    fi
fi
mmctl chaos iris --version 1.1.0 --clear >>"$LOG_DIR/chaos.log" 2>&1
step_start "node-1 serves with node-2 stopped"
if wait_until 30 test "$(predict_version "${NODE_URLS[0]}" 2>/dev/null)" = 1.1.0; then pass "1.1.0 on node-1"
else fail "node-1 does not answer"; fi

for s in "${SERVICES[@]}"; do podman logs "$(container "$s")" >"$LOG_DIR/$s.log" 2>&1; done
finish
