#!/usr/bin/env bash
# Node memory under slow bodies (issue 10): N connections each send "POST /predict/iris" announcing
# Content-Length: 16777216 (the node's body limit) and then one byte, and stay open. Prints the data plane's resident
# memory (VmRSS) before and while they are held, and the status of a prediction sent meanwhile, as a markdown table;
# logs go to bench/out/slow-bodies-YYYYmmdd-HHMMSS/.
#
# Environment (all optional): BENCH_CONNECTIONS=120  BENCH_HOLD_SECONDS=5 (how long the sockets are held before the
# second reading)  BENCH_LIB_DIR (another distribution's lib/, e.g. one built from an older commit, to compare)
# and lib.sh's JAVA_HOME, BENCH_REBUILD, BENCH_JAVA_OPTS, CP_PORT / DP_PORT.
set -euo pipefail

# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

CONNECTIONS="${BENCH_CONNECTIONS:-120}"
HOLD="${BENCH_HOLD_SECONDS:-5}"
need curl python3 awk

trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

make_out_dir slow-bodies
find_java
ensure_dist
start_stack
register_model iris "$REPO/fixtures/models/iris.onnx"
BODY='{"inputs":[5.1,3.5,1.4,0.2]}'
wait_200 "$DP_URL/predict/iris" "$BODY" 120

rss_mib() { awk '/^VmRSS:/ { printf "%d", $2 / 1024 }' "/proc/$DP_PID/status"; }

for _ in 1 2 3; do post_code "$DP_URL/predict/iris" "$BODY" >/dev/null; done
before="$(rss_mib)"
log "data plane RSS before: ${before} MiB; opening $CONNECTIONS slow connections for ${HOLD}s"

# the connections live in this python process until it is told to close them (a line on its stdin)
cat >"$OUT_DIR/slow.py" <<'PY'
import socket, sys
host, port = sys.argv[1].split(":")
socks = []
for _ in range(int(sys.argv[2])):
    s = socket.create_connection((host, int(port)))
    s.sendall(b"POST /predict/iris HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
              b"Content-Length: 16777216\r\n\r\n{")
    socks.append(s)
print("open", len(socks), flush=True)
sys.stdin.readline()
for s in socks:
    s.close()
PY
coproc SLOW { python3 -u "$OUT_DIR/slow.py" "${DP_URL#http://}" "$CONNECTIONS"; }
read -r opened count <&"${SLOW[0]}"
[ "$opened" = open ] || die "the slow connections could not be opened"
sleep "$HOLD"
during="$(rss_mib)"
code="$(post_code "$DP_URL/predict/iris" "$BODY")"
echo close >&"${SLOW[1]}"
wait "$SLOW_PID" 2>/dev/null || true
log "data plane RSS with $count slow bodies: ${during} MiB; a prediction meanwhile answered HTTP $code"

REPORT="$OUT_DIR/results.md"
{
    echo "### Slow bodies on one data plane ($count connections announcing 16 MiB, one byte sent)"
    echo
    echo "$(env_summary); distribution $LIB_DIR; RSS read from /proc/PID/status after 3 warm predictions and after"
    echo "the connections were held for ${HOLD} s."
    echo
    echo "| RSS before MiB | RSS with slow bodies MiB | growth MiB | prediction meanwhile |"
    echo "|---:|---:|---:|---|"
    echo "| $before | $during | $((during - before)) | HTTP $code |"
} >"$REPORT"
cat "$REPORT"
