#!/usr/bin/env bash
# ModelMesh installer.
#
#   ./install.sh [--prefix DIR] [--test]
#
# Finds a JDK >= 21 (JAVA_HOME, then java on PATH, then /usr/lib/jvm/*), builds every module with Maven, installs the
# `mmctl` launcher into DIR/bin (default ~/.local) with its jars under DIR/share/modelmesh and completion for bash,
# zsh and fish under DIR/share/bash-completion/completions, DIR/share/zsh/site-functions (add it to fpath when
# DIR is not /usr/local) and DIR/share/fish/vendor_completions.d. With --test the build runs the whole test suite
# first, then the Python SDK's tests against the freshly built jars (Debian's /usr/bin/python3 with the packages in
# sdk-python/debian-test-packages, installed when missing and running as root), and stops if a test fails. Safe to
# run again: each run replaces the previous install.
set -euo pipefail

PREFIX="${HOME}/.local"
RUN_TESTS=0
MIN_JAVA=21

usage() {
  sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'
}

while [ $# -gt 0 ]; do
  case "$1" in
    --prefix) [ $# -ge 2 ] || { echo "install.sh: --prefix needs a directory" >&2; exit 2; }; PREFIX="$2"; shift 2 ;;
    --prefix=*) PREFIX="${1#--prefix=}"; shift ;;
    --test) RUN_TESTS=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "install.sh: unknown option '$1' (try --help)" >&2; exit 2 ;;
  esac
done

cd "$(dirname "$0")"
ROOT="$(pwd)"

# Prints the major version of the JDK at $1 (a JAVA_HOME), or nothing when it is not a JDK.
jdk_major() {
  local home="$1"
  [ -x "$home/bin/java" ] && [ -x "$home/bin/javac" ] || return 0
  "$home/bin/java" -XshowSettings:properties -version 2>&1 \
    | sed -n 's/^ *java\.specification\.version = \([0-9][0-9]*\).*/\1/p' | head -n 1
}

find_jdk() {
  local candidates=() best="" best_major=0 c major
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  if command -v java >/dev/null 2>&1; then
    candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")")
  fi
  for c in /usr/lib/jvm/* /opt/java/* /opt/jdk*; do
    [ -d "$c" ] && candidates+=("$c")
  done
  for c in "${candidates[@]}"; do
    major="$(jdk_major "$c")"
    if [ -n "$major" ] && [ "$major" -ge "$MIN_JAVA" ] && [ "$major" -gt "$best_major" ]; then
      best="$c"; best_major="$major"
    fi
  done
  [ -n "$best" ] && echo "$best"
}

JDK="$(find_jdk || true)"
if [ -z "$JDK" ]; then
  cat >&2 <<MSG
install.sh: no JDK ${MIN_JAVA} or newer found.
  Looked at: \$JAVA_HOME (${JAVA_HOME:-unset}), java on PATH ($(command -v java || echo none)), /usr/lib/jvm/*.
  Install one (e.g. 'apt-get install openjdk-21-jdk' or Temurin 21+) or point JAVA_HOME at it, then run ./install.sh again.
MSG
  exit 1
fi
export JAVA_HOME="$JDK"
export PATH="$JAVA_HOME/bin:$PATH"
echo "install.sh: using JDK $(jdk_major "$JDK") at $JAVA_HOME" >&2

if ! command -v mvn >/dev/null 2>&1; then
  echo "install.sh: Maven (mvn) is not on PATH. Install Maven 3.8 or newer (e.g. 'apt-get install maven') and run again." >&2
  exit 1
fi

MVN_FLAGS=(-B -ntp)
if [ "$RUN_TESTS" = 1 ]; then
  echo "install.sh: building and running the whole test suite (mvn install)" >&2
  mvn "${MVN_FLAGS[@]}" install
else
  echo "install.sh: building (mvn -DskipTests install; ./install.sh --test runs the tests)" >&2
  mvn "${MVN_FLAGS[@]}" -q -DskipTests install
fi

DIST="$ROOT/dist/target/modelmesh/lib"
[ -d "$DIST" ] || { echo "install.sh: build finished but $DIST is missing" >&2; exit 1; }

# Prints the packages of sdk-python/debian-test-packages that are not installed.
missing_python_packages() {
  local p
  for p in $(grep -v '^#' "$ROOT/sdk-python/debian-test-packages"); do
    dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$' || echo "$p"
  done
}

if [ "$RUN_TESTS" = 1 ]; then
  # The Python SDK's tests, with Debian's python, against the jars just built (they start their own local stack).
  MISSING=($(missing_python_packages))
  if [ ${#MISSING[@]} -gt 0 ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "install.sh: installing the Python SDK's test packages: ${MISSING[*]}" >&2
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${MISSING[@]}" >&2 \
      || echo "install.sh: apt-get could not install ${MISSING[*]}" >&2
    MISSING=($(missing_python_packages))
  fi
  if [ ${#MISSING[@]} -gt 0 ] || [ ! -x /usr/bin/python3 ]; then
    echo "install.sh: the Python SDK tests need Debian's /usr/bin/python3 with: ${MISSING[*]:-python3}" >&2
    echo "  Install them (sudo apt-get install -y ${MISSING[*]:-python3}) and run ./install.sh --test again." >&2
    exit 1
  fi
  echo "install.sh: running the Python SDK tests (/usr/bin/python3 -m pytest sdk-python/tests) against $DIST" >&2
  MM_DIST_LIB="$DIST" /usr/bin/python3 -m pytest -q -p no:cacheprovider "$ROOT/sdk-python/tests"
fi

SHARE="$PREFIX/share/modelmesh"
BIN="$PREFIX/bin"
COMPLETIONS="$PREFIX/share/bash-completion/completions"
mkdir -p "$BIN" "$COMPLETIONS" "$SHARE"
rm -rf "$SHARE/lib.new"
cp -R "$DIST" "$SHARE/lib.new"
rm -rf "$SHARE/lib"
mv "$SHARE/lib.new" "$SHARE/lib"

# mmctl starts on its own jar alone (its manifest names the few jars the CLI needs; `mmctl up` finds the servers' jars
# through -Dmodelmesh.lib), with the client compiler only and the serial collector: a command lives well under a second,
# where C2 and a parallel collector only cost start-up. On JDK 25 and newer a training run records an ahead-of-time
# cache of the classes a command loads and links (JEP 483/514); on JDK 21-24 the JVM writes a dynamic CDS archive on
# the first run and reuses it. Either is only a cache: when it does not match (another JDK through MM_JAVA, a changed
# jar) the JVM ignores it and runs normally. docs/benchmark_results.md has the timings.
CLI_JAR="$(cd "$SHARE/lib" && ls modelmesh-cli-*.jar | head -n 1)"
[ -n "$CLI_JAR" ] || { echo "install.sh: modelmesh-cli jar missing from $SHARE/lib" >&2; exit 1; }
JAVA_MAJOR="$(jdk_major "$JAVA_HOME")"
# the same flags for the training run and the launcher: the JVM refuses a cache recorded with other module options.
# Reflection through the JVM's native accessors: the default (JEP 416) spins method handles for each constructor and
# method first invoked, which is what a CLI run mostly does (Jackson making records, picocli setting fields). The HTTP
# client moves 1 MiB buffers instead of 16 KiB ones: a 50 MB upload then takes ~50 chunks through its publisher, not
# ~3,000 at client-compiler speed (docs/benchmark_results.md, section 15: register 2.27 s -> 1.86 s). No locale data
# is loaded (java.locale.providers=HOST has no provider on Linux, so the JDK's built-in root data serves every locale):
# mmctl formats in Locale.ROOT anyway, and Jackson's date format would otherwise load CLDR's on every run (~30 ms).
CLI_FLAGS="-XX:TieredStopAtLevel=1 -XX:+UseSerialGC --enable-native-access=ALL-UNNAMED \
-Djdk.reflect.useNativeAccessorOnly=true -Djdk.httpclient.bufsize=1048576 -Djava.locale.providers=HOST"
rm -f "$SHARE/mmctl.aot" "$SHARE/mmctl.jsa"
if [ "$JAVA_MAJOR" -ge 25 ]; then
  # picocli ships Java 5 class files, which the cache cannot hold; rewrite them as Java 8 ones (same bytecode, with
  # stack map frames, each checked by the JDK's verifier), or keep the jar as it is when that fails
  for jar in "$SHARE"/lib/picocli-[0-9]*.jar; do
    [ -f "$jar" ] || continue
    if "$JAVA_HOME/bin/java" "$ROOT/cli/src/install/ClassFileUpgrade.java" "$jar" "$jar.new" >/dev/null; then
      mv "$jar.new" "$jar"
    else
      rm -f "$jar.new"
      echo "install.sh: kept $(basename "$jar") as shipped (its classes stay out of mmctl's cache)" >&2
    fi
  done
  CLI_CACHE="-XX:AOTCache=$SHARE/mmctl.aot -Xlog:aot=off -Xlog:cds=off"
  # the training run, then a check that the JVM really uses the cache (AOTMode=on fails when it cannot)
  if "$JAVA_HOME/bin/java" $CLI_FLAGS -XX:AOTCacheOutput="$SHARE/mmctl.aot" -cp "$SHARE/lib/$CLI_JAR" \
      io.modelmesh.cli.local.AotTraining >/dev/null 2>&1 && [ -s "$SHARE/mmctl.aot" ] \
      && "$JAVA_HOME/bin/java" $CLI_FLAGS -XX:AOTMode=on -XX:AOTCache="$SHARE/mmctl.aot" -cp "$SHARE/lib/$CLI_JAR" \
      io.modelmesh.cli.MmCtl --version >/dev/null 2>&1; then
    :
  else
    echo "install.sh: could not record a usable ahead-of-time cache for mmctl; mmctl runs without it" >&2
    rm -f "$SHARE/mmctl.aot"
    CLI_CACHE=""
    # with --test (CI) that is a failure: mmctl would silently be ~4x slower (docs/benchmark_results.md, section 15)
    [ "$RUN_TESTS" = 0 ] || exit 1
  fi
else
  CLI_CACHE="-XX:SharedArchiveFile=$SHARE/mmctl.jsa -XX:+AutoCreateSharedArchive"
fi

cat > "$BIN/mmctl.new" <<LAUNCHER
#!/bin/sh
# mmctl launcher written by ModelMesh install.sh; MM_JAVA overrides the JDK found at install time.
JAVA="\${MM_JAVA:-$JAVA_HOME/bin/java}"
exec "\$JAVA" $CLI_FLAGS $CLI_CACHE -Dmodelmesh.lib="$SHARE/lib" \
  \${MM_JAVA_OPTS:-} -cp "$SHARE/lib/$CLI_JAR" io.modelmesh.cli.MmCtl "\$@"
LAUNCHER
chmod 755 "$BIN/mmctl.new"
mv "$BIN/mmctl.new" "$BIN/mmctl"

"$BIN/mmctl" completion bash > "$COMPLETIONS/mmctl.new" && mv "$COMPLETIONS/mmctl.new" "$COMPLETIONS/mmctl"
ZSH_COMPLETIONS="$PREFIX/share/zsh/site-functions"
FISH_COMPLETIONS="$PREFIX/share/fish/vendor_completions.d"
mkdir -p "$ZSH_COMPLETIONS" "$FISH_COMPLETIONS"
"$BIN/mmctl" completion zsh > "$ZSH_COMPLETIONS/_mmctl.new" \
  && mv "$ZSH_COMPLETIONS/_mmctl.new" "$ZSH_COMPLETIONS/_mmctl"
"$BIN/mmctl" completion fish > "$FISH_COMPLETIONS/mmctl.fish.new" \
  && mv "$FISH_COMPLETIONS/mmctl.fish.new" "$FISH_COMPLETIONS/mmctl.fish"

echo "install.sh: installed $BIN/mmctl (jars in $SHARE/lib; completion for bash in $COMPLETIONS/mmctl, zsh in" \
  "$ZSH_COMPLETIONS/_mmctl, fish in $FISH_COMPLETIONS/mmctl.fish)" >&2
case ":$PATH:" in
  *":$BIN:"*) ;;
  *) echo "install.sh: $BIN is not on your PATH; add it:  export PATH=\"$BIN:\$PATH\"" >&2 ;;
esac
