#!/usr/bin/env bash
# mmctl wall time per command against a running control plane and node (issue 13 item 4: `list` < 300 ms, every
# non-upload command < 400 ms). Starts a bench stack (lib.sh), registers iris, then runs each command BENCH_RUNS times
# (after BENCH_WARMUP untimed runs) through the installed launcher and prints min / median / p90 / max in ms, one
# markdown row per command; logs and results.md go to bench/out/cli-YYYYmmdd-HHMMSS/.
#
#   bench/cli.sh                                  # ~/.local/bin/mmctl, the launcher ./install.sh writes
#   MMCTL=/other/bin/mmctl bench/cli.sh           # another launcher
#   BENCH_BASELINE=1 bench/cli.sh                 # also the pre-cache launcher: every jar, C2, default GC, no cache
#
# Environment (optional): BENCH_RUNS=15 BENCH_WARMUP=2, and lib.sh's (JAVA_HOME, BENCH_LIB_DIR, CP_PORT, DP_PORT).
set -euo pipefail

# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

RUNS="${BENCH_RUNS:-15}"
WARMUP="${BENCH_WARMUP:-2}"
MMCTL_BIN="${MMCTL:-$HOME/.local/bin/mmctl}"
[[ "$RUNS" =~ ^[1-9][0-9]*$ ]] || die "BENCH_RUNS must be a positive integer, got '$RUNS'"
[[ "$WARMUP" =~ ^[0-9]+$ ]] || die "BENCH_WARMUP must be a non-negative integer, got '$WARMUP'"
[ -x "$MMCTL_BIN" ] || die "no mmctl launcher at $MMCTL_BIN: run ./install.sh first, or set MMCTL"
need curl python3 awk date
unset MMCTL   # lib.sh's register_model would use it; the bench registers with curl

trap cleanup EXIT
find_java
make_out_dir cli
ensure_dist
start_stack
register_model iris "$REPO/fixtures/models/iris.onnx"
wait_200 "$DP_URL/predict/iris" '{"inputs":[[5.1,3.5,1.4,0.2]]}' 120

# time_ms CMD...: one run's wall time in ms (the command's output is discarded; a failure stops the bench)
time_ms() {
    local start end
    start="$(date +%s%N)"
    "$@" >/dev/null 2>"$OUT_DIR/last-err" || { cat "$OUT_DIR/last-err" >&2; die "'$*' failed"; }
    end="$(date +%s%N)"
    echo $(((end - start) / 1000000))
}

# bench_row LABEL LAUNCHER ARGS...: markdown row "| label | min | median | p90 | max |"
bench_row() {
    local label="$1" i
    shift
    for ((i = 0; i < WARMUP; i++)); do time_ms "$@" >/dev/null; done
    for ((i = 0; i < RUNS; i++)); do time_ms "$@"; done | sort -n | awk -v label="$label" '
        { v[NR] = $1 }
        END {
            m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
            p = int(NR * 0.9 + 0.999999); if (p > NR) p = NR
            printf "| %s | %d | %.0f | %d | %d |\n", label, v[1], m, v[p], v[NR]
        }'
}

export MM_HOME="$MM_TMP_HOME" MM_CONTROL_PLANE="$CP_URL" MM_DATA_PLANE="$DP_URL"
unset MM_TOKEN
COMMANDS=(
    "list"
    "versions iris"
    "status"
    "history iris"
    "predict iris --input [[5.1,3.5,1.4,0.2]]"
    "deploy iris --version 1.0.0"
    "--help"
)
launchers=("installed:$MMCTL_BIN")
if [ "${BENCH_BASELINE:-0}" = 1 ]; then
    cat >"$OUT_DIR/mmctl-baseline" <<LAUNCHER
#!/bin/sh
exec "$JAVA" --enable-native-access=ALL-UNNAMED -cp "$LIB_DIR/*" io.modelmesh.cli.MmCtl "\$@"
LAUNCHER
    chmod 755 "$OUT_DIR/mmctl-baseline"
    launchers+=("baseline:$OUT_DIR/mmctl-baseline")
fi

{
    echo "mmctl wall time per command, ${RUNS} runs after ${WARMUP} warm-up runs, ms; $(machine_summary);" \
        "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo
    echo "| launcher: command | min | median | p90 | max |"
    echo "|---|---:|---:|---:|---:|"
    for l in "${launchers[@]}"; do
        for c in "${COMMANDS[@]}"; do
            # shellcheck disable=SC2086 # each command is a deliberately word-split argument list
            bench_row "${l%%:*}: mmctl $c" "${l#*:}" $c
        done
    done
    echo
    echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$OUT_DIR/results.md"
