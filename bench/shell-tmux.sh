#!/usr/bin/env bash
# Tries `mmctl shell` in a real terminal: tmux runs it, send-keys types (Tab included), capture-pane reads the
# screen. Checks Tab completion of commands, model names, options and versions, a failing command's exit code, that
# the session goes on, Ctrl-C stopping a running command (top) but not the shell, history (Up arrow, the history
# file) and colours on a terminal.
#
#   bench/shell-tmux.sh            # builds the cli module's classpath (mvn -o), scripted control plane on loopback
#   MM_CONTROL_PLANE=URL bench/shell-tmux.sh   # against a running control plane instead (needs a model "iris")
#
# The scripted control plane (python3's http.server) answers GET /models, /models/iris/versions,
# /monitoring/latency and 404 for /models/nope/versions, which is all this session sends. Prints one "ok"/"FAIL"
# line per check and exits 1 on a failure. Needs tmux (apt-get install tmux) and a JDK >= 21 (JAVA_HOME or java
# on PATH).
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
command -v tmux >/dev/null || { echo "shell-tmux.sh: tmux is missing (apt-get install tmux)" >&2; exit 2; }
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
PY="$(command -v /usr/bin/python3 || command -v python3)"
WORK="$(mktemp -d)"
SESSION="mmctl-shell-$$"
FAKE_PID=""
cleanup() {
    tmux kill-session -t "$SESSION" 2>/dev/null || true
    [ -n "$FAKE_PID" ] && kill "$FAKE_PID" 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT

if [ -z "${MMCTL_CLASSPATH:-}" ]; then
    (cd "$REPO" && mvn -o -q -pl cli -am compile dependency:build-classpath -Dmdep.includeScope=runtime \
        -Dmdep.outputFile=target/runtime-classpath.txt >/dev/null)
    MMCTL_CLASSPATH="$REPO/cli/target/classes:$(cat "$REPO/cli/target/runtime-classpath.txt")"
fi

if [ -z "${MM_CONTROL_PLANE:-}" ]; then
    cat > "$WORK/fake_cp.py" <<'PY'
import http.server, json, sys
MODELS = {"items": [{"name": "iris", "framework": "onnx", "latest_version": "1.1.0", "live_version": "1.0.0",
                     "versions": 2, "created_at": "2026-11-24T09:47:00Z"}], "page": 0, "size": 50, "total": 1}
VERSIONS = [{"model": "iris", "version": v, "framework": "onnx"} for v in ("1.0.0", "1.1.0")]
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        with open(sys.argv[1] + ".log", "a") as log:
            log.write(self.path + "\n")
        path = self.path.split("?")[0]
        if path == "/models":
            self.answer(200, MODELS)
        elif path == "/models/iris/versions":
            self.answer(200, VERSIONS)
        elif path == "/monitoring/latency":
            self.answer(200, [])
        else:
            self.answer(404, {"status": 404, "error": "not_found", "message": "no model named 'nope'"})
    def answer(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
    def log_message(self, *args):
        pass
server = http.server.HTTPServer(("127.0.0.1", 0), H)
open(sys.argv[1], "w").write(str(server.server_address[1]))
server.serve_forever()
PY
    "$PY" "$WORK/fake_cp.py" "$WORK/port" &
    FAKE_PID=$!
    for _ in $(seq 100); do [ -s "$WORK/port" ] && break; sleep 0.1; done
    MM_CONTROL_PLANE="http://127.0.0.1:$(cat "$WORK/port")"
fi

FAILED=0
check() { # check NAME PATTERN: waits up to 20 s for PATTERN (grep -E) on the screen
    local name="$1" pattern="$2"
    for _ in $(seq 200); do
        if tmux capture-pane -p -N -t "$SESSION" | grep -Eq -- "$pattern"; then
            echo "ok    $name"
            return 0
        fi
        sleep 0.1
    done
    echo "FAIL  $name: no /$pattern/ on the screen:"
    tmux capture-pane -p -t "$SESSION" | sed 's/^/      | /'
    FAILED=1
}
keys() { tmux send-keys -t "$SESSION" -- "$@"; }

export XDG_CONFIG_HOME="$WORK/config"
# the scripted control plane wants no token; a real one gets the token mmctl finds: MM_TOKEN (passed on in an
# owner-only file, never on a command line), else MM_HOME/admin-token
TOKEN_OPTION=""
if [ -n "$FAKE_PID" ]; then
    export MM_HOME="$WORK/home"
elif [ -n "${MM_TOKEN:-}" ]; then
    (umask 077 && printf '%s' "$MM_TOKEN" > "$WORK/token")
    TOKEN_OPTION="--token-file $WORK/token"
fi
tmux new-session -d -s "$SESSION" -x 150 -y 40 \
    "env -u NO_COLOR TERM=xterm-256color XDG_CONFIG_HOME=$XDG_CONFIG_HOME MM_HOME=${MM_HOME:-$HOME/.modelmesh} \
     $JAVA \
     --enable-native-access=ALL-UNNAMED -cp '$MMCTL_CLASSPATH' io.modelmesh.cli.MmCtl \
     shell --control-plane $MM_CONTROL_PLANE $TOKEN_OPTION; echo SHELL-EXITED=\$?; \
     sleep 30"
check "the session starts" '^mmctl> $'
if [ -n "$FAKE_PID" ]; then # the shell asks for the model names at start, so that the first Tab finds them
    for _ in $(seq 200); do grep -q 'size=500' "$WORK/port.log" 2>/dev/null && break; sleep 0.1; done
    if grep -q 'size=500' "$WORK/port.log" 2>/dev/null; then echo "ok    model names asked for at start"
    else echo "FAIL  no GET /models at start"; FAILED=1; fi
else
    sleep 2
fi
keys 'dep' Tab
check "Tab completes a command" '^mmctl> deploy $'
keys 'ir' Tab
check "Tab completes a model name from the control plane" '^mmctl> deploy iris $'
keys '--vers' Tab
check "Tab completes an option" '^mmctl> deploy iris --version $'
keys Tab
check "Tab completes versions of that model" '^mmctl> deploy iris --version 1\.[01]\.0|1\.0\.0 +1\.1\.0'
keys C-u
keys 'list' Enter
check "a command runs and prints its table" '^iris +[a-z]+ +[0-9]'
keys 'versions nope' Enter
check "a failure prints the error" "error: .*nope"
check "and its exit code, and the session goes on" 'exit 3 \(NOT_FOUND\)'
check "the prompt comes back" '^mmctl> $'
if tmux capture-pane -p -e -t "$SESSION" | grep -q $'\e\\[1mNAME'; then
    echo "ok    table headers are bold on a terminal"
else
    echo "FAIL  no bold header on a terminal"; FAILED=1
fi
keys 'top --interval 1s' Enter
check "a long-running command runs" 'mmctl top: every 1s'
keys C-c
check "Ctrl-C stops it, not the shell" 'exit 130 \(INTERRUPTED\)'
check "and the prompt comes back" '^mmctl> $'
keys Up Up
check "Up recalls the history" '^mmctl> versions nope *$'
keys C-u
keys 'exit' Enter
check "exit leaves the shell" 'SHELL-EXITED=0'
if grep -q '^.*versions nope' "$XDG_CONFIG_HOME/mmctl/history" 2>/dev/null; then
    echo "ok    the history file keeps the lines ($XDG_CONFIG_HOME/mmctl/history)"
else
    echo "FAIL  the history file has no 'versions nope'"; FAILED=1
fi
exit "$FAILED"
