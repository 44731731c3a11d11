#!/usr/bin/env bash
# Drift detection (issue 12's target: a shift of one standard deviation in one feature is flagged within one window of
# 1,000 rows after it starts; 20 windows of unshifted data raise no alarm). Two parts, both printed as markdown:
#   1. the control plane's detector itself (io.modelmesh.controlplane.drift.VersionWindow: PSI + KS, window 1000,
#      served reference) over BENCH_TRIALS seeded trials of each kind, no servers involved;
#   2. end to end: a control plane and one data plane on free ports (bench/lib.sh), iris registered with its feature
#      names, ~250 rows/s of batch predictions of iris-like rows, GET /monitoring/drift after every batch: the
#      reference, 20 windows unshifted (alarms counted), then petal_length shifted by +1 sd until flagged.
# The node runs with MM_DRIFT_ROWS=1000 so that every row it serves (250/s) is in its reports.
#
# Environment (all optional): BENCH_TRIALS=200 BENCH_SEED=12 BENCH_E2E=1 (0: the detector part only)
#   JAVA_HOME (a JDK >= 21)  BENCH_REBUILD=0|1  BENCH_LIB_DIR  BENCH_JAVA_OPTS  CP_PORT  DP_PORT
#   BENCH_AUTH=1 (predictions with a predict token, see bench/README.md; control-plane calls always carry the admin
#   token of the bench home)
set -euo pipefail

# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

TRIALS="${BENCH_TRIALS:-200}"
SEED="${BENCH_SEED:-12}"
[[ "$TRIALS" =~ ^[1-9][0-9]*$ ]] || die "BENCH_TRIALS must be a positive integer, got '$TRIALS'"
[[ "$SEED" =~ ^[0-9]+$ ]] || die "BENCH_SEED must be a whole number, got '$SEED'"

need curl python3
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

make_out_dir drift
find_java
ensure_dist

echo "## Drift detection"
echo
echo "$(env_summary)"
echo
echo "Command: \`BENCH_TRIALS=$TRIALS BENCH_SEED=$SEED bench/drift.sh\`"
echo
log "detector: $TRIALS detection and $TRIALS false-alarm trials"
"$JAVA" -cp "$LIB_DIR/*" "$REPO/bench/java/DriftDetection.java" pure "$TRIALS" "$SEED" | tee "$OUT_DIR/pure.md"
echo

if [ "${BENCH_E2E:-1}" = 1 ]; then
    export MM_DRIFT_ROWS=1000
    start_stack
    MODEL=drifty
    log "registering $MODEL (iris.onnx with its feature names)"
    code="$(cp_curl -sS -o "$OUT_DIR/register.json" -w '%{http_code}' -F "name=$MODEL" \
        -F "features=sepal_length,sepal_width,petal_length,petal_width" \
        -F "file=@$REPO/fixtures/models/iris.onnx" "$CP_URL/models")" || die "could not reach $CP_URL/models"
    case "$code" in 200 | 201) ;; *) cat "$OUT_DIR/register.json" >&2; die "registering $MODEL: HTTP $code" ;; esac
    wait_200 "$DP_URL/predict/$MODEL" '{"inputs": [5.1, 3.5, 1.4, 0.2]}' 120
    log "end to end: reference, 20 unshifted windows, then the shift (about two minutes)"
    "$JAVA" -cp "$LIB_DIR/*" "$REPO/bench/java/DriftDetection.java" e2e "$CP_URL" "$MM_TMP_HOME/admin-token" \
        "$DP_URL" "$MODEL" "$SEED" ${PREDICT_TOKEN_FILE:+"$PREDICT_TOKEN_FILE"} | tee "$OUT_DIR/e2e.md"
fi
