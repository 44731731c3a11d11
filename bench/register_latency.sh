#!/usr/bin/env bash
# Register-to-serving latency: for each trial, register a ~50 MB ONNX model under a NEW name (so its first version goes
# live at 100 % automatically) and time from just before the register request to the first HTTP 200 from the data
# plane's POST /predict/NAME. Prints a markdown table on stdout; logs and results.md go to
# bench/out/register-YYYYmmdd-HHMMSS/.
#
# Environment (all optional):
#   BENCH_TRIALS=5  BENCH_MODEL_MB=50  BENCH_MODEL=bench/models/large-50mb.onnx (generated when missing)
#   BENCH_TRIAL_TIMEOUT=300 (seconds per trial)  BENCH_PREWARM=1 (register and serve iris once before the trials)
#   MMCTL=path/to/mmctl (register with `mmctl register NAME --file F`, MM_CONTROL_PLANE pointing at the bench stack and
#   MM_HOME at the bench home, where it finds admin-token; its JVM start-up is then part of every measurement)
#   BENCH_AUTH=1 (nodes refuse anonymous predictions; the polls carry a predict token)
#   JAVA_HOME (a JDK >= 21)  BENCH_REBUILD=1  BENCH_JAVA_OPTS  CP_PORT / DP_PORT  BENCH_START_TIMEOUT  BENCH_KEEP_HOME=1
set -euo pipefail

# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

TRIALS="${BENCH_TRIALS:-5}"
MB="${BENCH_MODEL_MB:-50}"
MODEL_FILE="${BENCH_MODEL:-$REPO/bench/models/large-${MB}mb.onnx}"
TRIAL_TIMEOUT="${BENCH_TRIAL_TIMEOUT:-300}"
PREWARM="${BENCH_PREWARM:-1}"

need curl python3 awk date
[[ "$TRIALS" =~ ^[1-9][0-9]*$ ]] || die "BENCH_TRIALS must be a positive integer, got '$TRIALS'"
[[ "$MB" =~ ^[1-9][0-9]*$ ]] || die "BENCH_MODEL_MB must be a positive integer, got '$MB'"
[ -z "${MMCTL:-}" ] || [ -x "$MMCTL" ] || command -v "$MMCTL" >/dev/null 2>&1 || die "MMCTL=$MMCTL is not executable"

trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

make_out_dir register

if [ ! -f "$MODEL_FILE" ]; then
    log "generating $MODEL_FILE (~$MB MB) with fixtures/make_fixtures.py --large"
    /usr/bin/python3 "$REPO/fixtures/make_fixtures.py" --large "$MODEL_FILE" --mb "$MB" >&2 \
        || die "could not generate $MODEL_FILE (needs Debian python3-torch and python3-onnx)"
fi
SIZE_BYTES="$(stat -c %s "$MODEL_FILE")"

# one row of 64 features for the [batch, 64] input
ROW="$(awk 'BEGIN { for (i = 0; i < 64; i++) printf "%s%.3f", (i ? "," : ""), (i % 7) / 7 - 0.5 }')"
BODY="{\"inputs\":[$ROW]}"

find_java
ensure_dist
start_stack

if [ "$PREWARM" = 1 ]; then
    # load ONNX Runtime's native library and warm the upload/push/predict paths so trial 1 is not a cold JVM
    log "pre-warm: registering iris and waiting for its first prediction (not timed)"
    register_model iris "$REPO/fixtures/models/iris.onnx"
    wait_200 "$DP_URL/predict/iris" '{"inputs":[5.1,3.5,1.4,0.2]}' 120
fi

now_ns() { date +%s%N; }

declare -a ROWS=()
for i in $(seq 1 "$TRIALS"); do
    name="large-$i"
    url="$DP_URL/predict/$name"
    code="$(post_code "$url" "$BODY")"
    [ "$code" != 200 ] || die "$url already answers 200 before registration; is the bench home fresh?"

    t0="$(now_ns)"
    register_model "$name" "$MODEL_FILE"
    t1="$(now_ns)"
    polls=0
    deadline=$(($(date +%s) + TRIAL_TIMEOUT))
    while :; do
        code="$(post_code "$url" "$BODY")"
        polls=$((polls + 1))
        [ "$code" = 200 ] && break
        if [ "$(date +%s)" -ge "$deadline" ]; then
            dp_curl -s --max-time 10 -H 'Content-Type: application/json' -d "$BODY" "$url" >&2 || true
            echo >&2
            die "trial $i: $url still answers HTTP $code ${TRIAL_TIMEOUT}s after registering (last body above)"
        fi
        kill -0 "$DP_PID" 2>/dev/null || die "trial $i: the data plane died; see $OUT_DIR/dataplane.log"
    done
    t2="$(now_ns)"
    dp_curl -s --max-time 10 -H 'Content-Type: application/json' -d "$BODY" "$url" >"$OUT_DIR/predict-$name.json" || true
    reg_ms=$(((t1 - t0) / 1000000))
    total_ms=$(((t2 - t0) / 1000000))
    log "trial $i ($name): register call ${reg_ms} ms, register -> first 200 ${total_ms} ms ($polls polls)"
    ROWS+=("$i $name $reg_ms $total_ms $polls")
done

# ---- report ------------------------------------------------------------------------------------------------------
REPORT="$OUT_DIR/results.md"
{
    echo "### Register-to-serving latency (~$((SIZE_BYTES / 1048576)) MiB ONNX model)"
    echo
    echo "$(env_summary); model $(basename "$MODEL_FILE") ($SIZE_BYTES bytes), one control plane + one data plane, registered with $([ -n "${MMCTL:-}" ] && echo "\`mmctl register\`" || echo "curl multipart"); timed from just before the register request to the first HTTP 200 from \`POST /predict/NAME\` on the data plane (polled back to back with curl, ~5-10 ms resolution; predictions $(auth_summary)); $([ "$PREWARM" = 1 ] && echo "iris registered and served once before the trials" || echo "no pre-warm")."
    echo
    echo "| trial | model | register call ms | register -> first 200 ms | polls |"
    echo "|---:|---|---:|---:|---:|"
    for row in "${ROWS[@]}"; do
        # shellcheck disable=SC2086 # row is a space-separated record
        set -- $row
        echo "| $1 | $2 | $3 | $4 | $5 |"
    done
    echo
    read -r rmin rmed rmax < <(printf '%s\n' "${ROWS[@]}" | awk '{print $3}' | stats)
    read -r tmin tmed tmax < <(printf '%s\n' "${ROWS[@]}" | awk '{print $4}' | stats)
    echo "| ms | min | median | max |"
    echo "|---|---:|---:|---:|"
    echo "| register call | $rmin | $rmed | $rmax |"
    echo "| register -> first 200 | $tmin | $tmed | $tmax |"
} >"$REPORT"

cat "$REPORT"
