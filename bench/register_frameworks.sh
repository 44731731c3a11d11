#!/usr/bin/env bash
# Registration time per framework: for each committed fixture, register it BENCH_TRIALS times under new names (so each
# first version goes live at 100 %) and time (a) the register call, which includes upload, validation by loading the
# model (and, for a pickle, the conversion to PMML), storage and the push to the node, and (b) register -> first
# HTTP 200 from the data plane's POST /predict/NAME. Prints a markdown table on stdout; logs and results.md go to
# bench/out/frameworks-YYYYmmdd-HHMMSS/.
#
# Environment (all optional): BENCH_TRIALS=5  BENCH_PREWARM=1  BENCH_AUTH=1 (polls with a predict token)  JAVA_HOME
#   BENCH_REBUILD=1  BENCH_JAVA_OPTS  CP_PORT / DP_PORT  MMCTL  BENCH_START_TIMEOUT  BENCH_KEEP_HOME=1
set -euo pipefail

# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

TRIALS="${BENCH_TRIALS:-5}"
PREWARM="${BENCH_PREWARM:-1}"
FIX="$REPO/fixtures/models"
need curl awk date
[[ "$TRIALS" =~ ^[1-9][0-9]*$ ]] || die "BENCH_TRIALS must be a positive integer, got '$TRIALS'"

# fixture | request body for one row
CASES=(
    "iris.onnx|{\"inputs\":[5.1,3.5,1.4,0.2]}"
    "iris.pt|{\"inputs\":[5.1,3.5,1.4,0.2]}"
    "iris_rf.pkl|{\"inputs\":[5.1,3.5,1.4,0.2]}"
    "iris_rf.joblib|{\"inputs\":[5.1,3.5,1.4,0.2]}"
    "iris_logreg.pkl|{\"inputs\":[5.1,3.5,1.4,0.2]}"
    "diabetes_linear.pmml|{\"inputs\":[0.038,0.05,0.061,0.021,-0.044,-0.034,-0.043,-0.002,0.019,-0.017]}"
)

trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

make_out_dir frameworks
find_java
ensure_dist
start_stack

now_ns() { date +%s%N; }

if [ "$PREWARM" = 1 ]; then
    # first use of each engine in these JVMs (libtorch extraction and load, jpmml classes) is not what is measured
    log "pre-warm: registering and serving every fixture once (not timed)"
    for c in "${CASES[@]}"; do
        file="${c%%|*}" body="${c#*|}" name="warm-${file//[._]/-}"
        register_model "$name" "$FIX/$file"
        wait_200 "$DP_URL/predict/$name" "$body" 300
    done
fi

declare -a ROWS=()
for c in "${CASES[@]}"; do
    file="${c%%|*}" body="${c#*|}"
    for i in $(seq 1 "$TRIALS"); do
        name="${file//[._]/-}-$i"
        url="$DP_URL/predict/$name"
        t0="$(now_ns)"
        register_model "$name" "$FIX/$file"
        t1="$(now_ns)"
        wait_200 "$url" "$body" 120
        t2="$(now_ns)"
        ROWS+=("$file $(((t1 - t0) / 1000000)) $(((t2 - t0) / 1000000))")
        log "$file trial $i: register $(((t1 - t0) / 1000000)) ms, register -> first 200 $(((t2 - t0) / 1000000)) ms"
    done
done

REPORT="$OUT_DIR/results.md"
{
    echo "### Registration time per framework"
    echo
    echo "$(env_summary); one control plane + one data plane; $([ -n "${MMCTL:-}" ] && echo "\`mmctl register\`" || echo "curl multipart upload"); predictions $(auth_summary); $TRIALS trials per fixture, each under a new model name; $([ "$PREWARM" = 1 ] && echo "every fixture registered and served once before the trials" || echo "no pre-warm")."
    echo
    echo "| fixture | bytes | register call ms (min / median / max) | register -> first 200 ms (min / median / max) |"
    echo "|---|---:|---:|---:|"
    for c in "${CASES[@]}"; do
        file="${c%%|*}"
        read -r rmin rmed rmax < <(printf '%s\n' "${ROWS[@]}" | awk -v f="$file" '$1 == f {print $2}' | stats)
        read -r tmin tmed tmax < <(printf '%s\n' "${ROWS[@]}" | awk -v f="$file" '$1 == f {print $3}' | stats)
        echo "| $file | $(stat -c %s "$FIX/$file") | $rmin / $rmed / $rmax | $tmin / $tmed / $tmax |"
    done
} >"$REPORT"
cat "$REPORT"
