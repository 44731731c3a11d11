#!/usr/bin/env bash
# The engine-side ceiling of the heavy MLP (bench/models/batchy.onnx, generated when missing): rows per second through
# the engine SPI alone — no HTTP, no JSON, no batcher — at batch 1 and batch 64, with 1 and 2 threads calling one loaded
# model back to back (bench/java/EngineCeiling.java). What batching could win at most on this machine; compare with
# the HTTP figures of BENCH_SCENARIOS=c bench/suite.sh. One markdown table on stdout.
#
# Environment (all optional): BENCH_BATCHES=1,64  BENCH_CEILING_THREADS=1,2  BENCH_CEILING_SECONDS=5 (per measured run,
#   after a warm-up of a third of it)  and lib.sh's JAVA_HOME  BENCH_REBUILD
set -euo pipefail

# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

BATCHES="${BENCH_BATCHES:-1,64}"
THREADS="${BENCH_CEILING_THREADS:-1,2}"
SECONDS_PER_RUN="${BENCH_CEILING_SECONDS:-5}"
[[ "$BATCHES" =~ ^[1-9][0-9]*(,[1-9][0-9]*)*$ ]] || die "BENCH_BATCHES must be a comma list of batch sizes, got '$BATCHES'"
[[ "$THREADS" =~ ^[1-9][0-9]*(,[1-9][0-9]*)*$ ]] || die "BENCH_CEILING_THREADS must be a comma list, got '$THREADS'"

make_out_dir ceiling
find_java
ensure_dist
ensure_batchy
echo "### Engine ceiling: batchy (64 -> 1024 -> 1024 -> 1024 -> 10) through the engine SPI"
echo
echo "$(env_summary); load before the run: $(cut -d' ' -f1-3 /proc/loadavg); ${SECONDS_PER_RUN} s per run."
echo
"$JAVA" --enable-native-access=ALL-UNNAMED -cp "$LIB_DIR/*" "$REPO/bench/java/EngineCeiling.java" onnx "$BATCHY_FILE" \
    "$BATCHES" "$THREADS" "$SECONDS_PER_RUN" 2>"$OUT_DIR/ceiling.log" | tee "$OUT_DIR/results.md" \
    || die "the engine ceiling run failed; see $OUT_DIR/ceiling.log"
