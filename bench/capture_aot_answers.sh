#!/usr/bin/env bash
# Records what a real control plane and node answer to the requests mmctl's ahead-of-time training run sends, into
# cli/src/main/resources/io/modelmesh/cli/local/aot-answers.json ({"METHOD /path": body}). The training run
# (io.modelmesh.cli.local.AotTraining, run by install.sh on JDK 25+) replays them from an in-process server so that
# the HTTP and JSON paths of list, versions, status, history, predict and deploy are in mmctl's AOT cache. Rerun it
# when the API's answers change shape; AotTrainingTest fails when a training command no longer succeeds on them.
#
#   bench/capture_aot_answers.sh        # lib.sh's environment applies (JAVA_HOME, BENCH_LIB_DIR, ...)
set -euo pipefail

# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
need curl python3

trap cleanup EXIT
find_java
make_out_dir aot-answers
ensure_dist
start_stack
register_model iris "$REPO/fixtures/models/iris.onnx"
wait_200 "$DP_URL/predict/iris" '{"inputs":[[5.1,3.5,1.4,0.2]]}' 120

ANSWERS="$OUT_DIR/answers"
mkdir -p "$ANSWERS"
n=0
# record METHOD PATH [BODY | -F FIELD...]: the answer's status and body, as file $ANSWERS/N.{key,status,body}
record() {
    local method="$1" path="$2" body="${3:-}" base="$CP_URL"
    case "$path" in /predict/*) base="$DP_URL" ;; esac
    n=$((n + 1))
    printf '%s %s' "$method" "${path%%\?*}" >"$ANSWERS/$n.key"
    if [ "$body" = -F ]; then
        shift 3
        cp_curl -sS -o "$ANSWERS/$n.body" -w '%{http_code}' -X "$method" "$@" "$base$path" >"$ANSWERS/$n.status"
    elif [ -n "$body" ]; then
        cp_curl -sS -o "$ANSWERS/$n.body" -w '%{http_code}' -X "$method" -H 'Content-Type: application/json' \
            -d "$body" "$base$path" >"$ANSWERS/$n.status"
    else
        cp_curl -sS -o "$ANSWERS/$n.body" -w '%{http_code}' -X "$method" "$base$path" >"$ANSWERS/$n.status"
    fi
}
record GET '/models?page=0&size=50'
record GET /models/iris
record GET /models/iris/versions
record GET /models/iris/aliases
record GET /deployments/iris
record GET /deployments/iris/history
record GET /nodes
record GET /routing
record GET /health
record POST /deployments '{"model":"iris","version":"1.0.0"}'
record POST /models -F -F name=iris -F version=1.0.1 -F deploy=false -F "file=@$REPO/fixtures/models/iris.onnx"
record POST /predict/iris '{"inputs":[[5.1,3.5,1.4,0.2]]}'

OUT="$REPO/cli/src/main/resources/io/modelmesh/cli/local/aot-answers.json"
python3 - "$ANSWERS" "$n" "$DP_URL" >"$OUT" <<'PY'
import json, sys
answers, n, node = sys.argv[1], int(sys.argv[2]), sys.argv[3]
out = {}
for i in range(1, n + 1):
    key = open(f"{answers}/{i}.key").read()
    status = int(open(f"{answers}/{i}.status").read())
    if status // 100 != 2:
        sys.exit(f"{key} answered {status}: {open(f'{answers}/{i}.body').read()}")
    # the node's URL becomes the training server's own, so predictions through the live nodes reach it
    out[key] = json.loads(open(f"{answers}/{i}.body").read().replace(node, "{{self}}"))
json.dump(out, sys.stdout, indent=1, sort_keys=True)
print()
PY
log "wrote $OUT ($n answers)"
