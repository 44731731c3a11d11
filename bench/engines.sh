#!/usr/bin/env bash
# Per-engine latency at batch 1 and batch 64 for every committed fixture, through the engine SPI (no HTTP):
# bench/java/EngineLatency.java once per fixture, one markdown table on stdout.
#
# Environment (all optional): BENCH_ITERATIONS=200000 (calls per batch size, divided by the batch size, at least 1000)
#   BENCH_BATCHES=1,64  JAVA_HOME  BENCH_REBUILD=1
set -euo pipefail

# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ITER="${BENCH_ITERATIONS:-200000}"
BATCHES="${BENCH_BATCHES:-1,64}"
FIX="$REPO/fixtures/models"
find_java
ensure_dist
mkdir -p "$REPO/bench/out"
LOG="$REPO/bench/out/engines.log"
export DJL_CACHE_DIR="${DJL_CACHE_DIR:-$REPO/bench/out/djl-cache}"

echo "$(env_summary); one thread; \`BENCH_ITERATIONS=$ITER bench/engines.sh\`"
echo
first=1
for c in "onnx iris.onnx" "torchscript iris.pt" "sklearn iris_rf.pkl" "sklearn iris_logreg.pkl" "pmml diabetes_linear.pmml"; do
    set -- $c
    flag=""
    [ "$first" = 1 ] || flag="--no-header"
    "$JAVA" --enable-native-access=ALL-UNNAMED -cp "$LIB_DIR/*" "$REPO/bench/java/EngineLatency.java" \
        "$1" "$FIX/$2" "$BATCHES" "$ITER" $flag 2>>"$LOG" || die "$2 failed; see $LOG"
    first=0
done
