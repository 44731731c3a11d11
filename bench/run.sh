#!/usr/bin/env bash
# POST /predict/iris against the bare POST /echo route on the same data plane, same run, alternating rounds: scenario a
# of bench/suite.sh, which holds the one implementation (this name stays because docs/benchmark_results.md section 2
# quotes it). Same settings: BENCH_ROUNDS=2 BENCH_DURATION=15s BENCH_WARMUP=5s BENCH_THREADS=2 BENCH_CONNECTIONS=50,
# and lib.sh's JAVA_HOME, BENCH_REBUILD, BENCH_JAVA_OPTS, CP_PORT / DP_PORT.
set -euo pipefail
BENCH_SCENARIOS=a exec "$(dirname "${BASH_SOURCE[0]}")/suite.sh" "$@"
