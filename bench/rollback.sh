#!/usr/bin/env bash
# Automatic canary rollback time across nodes (issue 4's target: canary traffic at 0 % on all nodes within 3 s p95 of a
# fault starting). Starts a control plane and BENCH_NODES data-plane nodes as separate processes on free ports,
# registers the iris classifier twice (logistic regression as 1.0.0, random forest as 1.1.0), and runs
# bench/java/RollbackTime.java: per trial a canary at BENCH_PERCENT %, then `chaos --error-rate BENCH_RATE` on it,
# timed until every node's /health stops listing the canary. Open-loop load of BENCH_RPS requests/s runs throughout.
#
# Environment (all optional): BENCH_TRIALS=12 BENCH_NODES=2 BENCH_PERCENT=20 BENCH_RATE=0.5 BENCH_RPS=200
#   BENCH_AUTH=1 (nodes refuse anonymous predictions; the load carries a predict token)
#   JAVA_HOME (a JDK >= 21)  BENCH_REBUILD=0|1  BENCH_JAVA_OPTS  CP_PORT / DP_PORT (first node)  BENCH_KEEP_HOME=1
# The control plane is driven with the bench home's admin token: curl reads it from a header file, RollbackTime from
# the admin-token file whose path it is given (never the token itself on a command line).
# Output: the per-trial lines and a ROLLBACK_RESULT line on stdout; logs under bench/out/rollback-*/.
set -euo pipefail

# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

TRIALS="${BENCH_TRIALS:-12}"
NODES="${BENCH_NODES:-2}"
PERCENT="${BENCH_PERCENT:-20}"
RATE="${BENCH_RATE:-0.5}"
RPS="${BENCH_RPS:-200}"
[[ "$NODES" =~ ^[1-9][0-9]*$ ]] || die "BENCH_NODES must be a positive integer, got '$NODES'"

need curl python3
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

make_out_dir rollback
find_java
ensure_dist
start_stack
NODE_URLS=("$DP_URL")
for i in $(seq 2 "$NODES"); do
    start_extra_node "bench-node-$i"
    NODE_URLS+=("${EXTRA_URLS[-1]}")
done

MODEL=rollback
log "registering $MODEL 1.0.0 (iris_logreg.pkl) and 1.1.0 (iris_rf.pkl)"
# the two pickles name their inputs differently (x1..x4 and the iris names); both get the iris names, so the canary
# passes the control plane's schema guard as a real retrained model would
FEATURES=sepal_length,sepal_width,petal_length,petal_width
cp_curl -fsS -o "$OUT_DIR/register-1.json" -F "name=$MODEL" -F version=1.0.0 -F "features=$FEATURES" \
    -F "file=@$REPO/fixtures/models/iris_logreg.pkl" "$CP_URL/models" || die "registering 1.0.0 failed"
cp_curl -fsS -o "$OUT_DIR/register-2.json" -F "name=$MODEL" -F version=1.1.0 -F deploy=false -F "features=$FEATURES" \
    -F "file=@$REPO/fixtures/models/iris_rf.pkl" "$CP_URL/models" || die "registering 1.1.0 failed"

PREDICT_ARGS=()
[ -z "$PREDICT_TOKEN_FILE" ] || PREDICT_ARGS=(--predict-token-file "$PREDICT_TOKEN_FILE")
log "running $TRIALS trials: canary at $PERCENT %, fault error rate $RATE, $RPS requests/s over $NODES nodes; predictions $(auth_summary)"
"$JAVA" -cp "$LIB_DIR/*" "$REPO/bench/java/RollbackTime.java" ${PREDICT_ARGS[@]+"${PREDICT_ARGS[@]}"} \
    "$CP_URL" "$MM_TMP_HOME/admin-token" "$MODEL" 1.0.0 1.1.0 \
    "$TRIALS" "$PERCENT" "$RATE" "$RPS" "${NODE_URLS[@]}" | tee "$OUT_DIR/result.txt"
echo
echo "environment: $(env_summary)"
