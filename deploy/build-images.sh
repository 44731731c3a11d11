#!/usr/bin/env bash
# Builds the ModelMesh image (control plane, data plane and mmctl in one image; deploy/Containerfile).
#
#   deploy/build-images.sh [--engine podman|docker] [--base temurin|debian] [--tag TAG] [--skip-maven]
#                          [--rebuild-base]
#
# 1. Maven builds the distribution (mvn -DskipTests package -pl dist -am; MM_MAVEN_ARGS adds flags, e.g. "-o -q"),
#    with the JDK 21+ in JAVA_HOME (or the newest under /usr/lib/jvm). --skip-maven uses the jars already built.
# 2. The engine (podman, else docker) builds deploy/Containerfile from the repository's top as modelmesh:TAG
#    (default 0.1.0, the tag k8s/ and compose.yaml use).
#
# --base temurin (default): FROM eclipse-temurin:25-jre, pulled from Docker Hub.
# --base debian: for machines that reach Debian's packages but no container registry. Makes the base image
#    localhost/modelmesh-jre:25-bookworm once (--rebuild-base makes it again): Debian bookworm minbase from mmdebstrap,
#    plus a Java runtime jlinked from the local JDK at /opt/java/openjdk (where Temurin's images have it), imported
#    with podman import. Needs root (or mmdebstrap's unshare mode), mmdebstrap and podman.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TAG=0.1.0
BASE=temurin
ENGINE=""
SKIP_MAVEN=0
REBUILD_BASE=0
JRE_IMAGE=localhost/modelmesh-jre:25-bookworm
# What the servers use of the JDK: all of Java SE plus what Netty/ONNX Runtime/JDBC and diagnostics reach for.
JRE_MODULES=java.se,jdk.unsupported,jdk.management,jdk.crypto.cryptoki,jdk.zipfs,jdk.naming.dns,jdk.jcmd,jdk.jfr

usage() {
    sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'
}

die() {
    echo "build-images.sh: $*" >&2
    exit 1
}

log() {
    echo "build-images.sh: $*" >&2
}

while [ $# -gt 0 ]; do
    case "$1" in
        --engine) [ $# -ge 2 ] || die "--engine needs podman or docker"; ENGINE="$2"; shift 2 ;;
        --base) [ $# -ge 2 ] || die "--base needs temurin or debian"; BASE="$2"; shift 2 ;;
        --tag) [ $# -ge 2 ] || die "--tag needs a tag"; TAG="$2"; shift 2 ;;
        --skip-maven) SKIP_MAVEN=1; shift ;;
        --rebuild-base) REBUILD_BASE=1; shift ;;
        -h | --help) usage; exit 0 ;;
        *) echo "build-images.sh: unknown option '$1'" >&2; usage >&2; exit 2 ;;
    esac
done
case "$BASE" in temurin | debian) ;; *) die "--base must be temurin or debian, got '$BASE'" ;; esac
if [ -z "$ENGINE" ]; then
    if command -v podman >/dev/null 2>&1; then ENGINE=podman
    elif command -v docker >/dev/null 2>&1; then ENGINE=docker
    else die "neither podman nor docker is on PATH (Debian: apt-get install podman)"
    fi
fi
command -v "$ENGINE" >/dev/null 2>&1 || die "$ENGINE is not on PATH"

# A JDK >= 21: JAVA_HOME, else the newest under /usr/lib/jvm (the default java may be older).
jdk_major() {
    [ -x "$1/bin/javac" ] || return 0
    "$1/bin/java" -XshowSettings:properties -version 2>&1 \
        | sed -n 's/^ *java\.specification\.version = \([0-9][0-9]*\).*/\1/p' | head -n 1
}
find_jdk() {
    local c major best="" best_major=0
    for c in "${JAVA_HOME:-}" /usr/lib/jvm/*; do
        [ -n "$c" ] && [ -d "$c" ] || continue
        major="$(jdk_major "$c")"
        if [ -n "$major" ] && [ "$major" -ge 21 ] && [ "$major" -gt "$best_major" ]; then
            best="$c"; best_major="$major"
            [ "$c" = "${JAVA_HOME:-}" ] && break
        fi
    done
    [ -n "$best" ] && echo "$best"
}

cd "$ROOT"
if [ "$SKIP_MAVEN" = 0 ]; then
    JDK="$(find_jdk || true)"
    [ -n "$JDK" ] || die "no JDK 21 or newer (set JAVA_HOME)"
    command -v mvn >/dev/null 2>&1 || die "Maven (mvn) is not on PATH"
    log "building the distribution with the JDK at $JDK"
    # shellcheck disable=SC2086 # MM_MAVEN_ARGS is a list of flags
    JAVA_HOME="$JDK" mvn -B -ntp ${MM_MAVEN_ARGS:-} -DskipTests package -pl dist -am
fi
[ -d dist/target/modelmesh/lib ] || die "dist/target/modelmesh/lib is missing (run without --skip-maven)"

# Debian bookworm minbase + a jlinked runtime, as the base image Containerfile builds on.
build_debian_base() {
    command -v mmdebstrap >/dev/null 2>&1 || die "--base debian needs mmdebstrap (apt-get install mmdebstrap)"
    [ "$ENGINE" = podman ] || die "--base debian imports its base with podman (--engine podman)"
    local jdk work
    jdk="$(find_jdk || true)"
    [ -n "$jdk" ] || die "no JDK 21 or newer to jlink a runtime from (set JAVA_HOME)"
    work="$(mktemp -d "${TMPDIR:-/tmp}/modelmesh-base.XXXXXX")"
    WORK_DIR="$work"
    log "jlinking a runtime from $jdk ($JRE_MODULES)"
    "$jdk/bin/jlink" --add-modules "$JRE_MODULES" --strip-debug --no-man-pages --no-header-files \
        --output "$work/openjdk"
    log "making Debian bookworm minbase with mmdebstrap"
    # libgomp1: libtorch's OpenMP; ca-certificates for https from the image's tools. Documentation and apt lists
    # are dropped: the image is not meant to install packages at run time.
    mmdebstrap --variant=minbase --include=libgomp1,ca-certificates --quiet \
        --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/doc/*' \
        --customize-hook='mkdir -p "$1/opt/java"' \
        --customize-hook="copy-in $work/openjdk /opt/java" \
        --customize-hook='rm -rf "$1"/var/lib/apt/lists/* "$1"/var/cache/apt/*' \
        bookworm "$work/rootfs.tar"
    podman import \
        --change 'ENV JAVA_HOME=/opt/java/openjdk' \
        --change 'ENV PATH=/opt/java/openjdk/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
        --change 'ENV LANG=C.UTF-8' \
        --change 'CMD ["/bin/bash"]' \
        "$work/rootfs.tar" "$JRE_IMAGE" >/dev/null
    log "made $JRE_IMAGE ($("$work/openjdk/bin/java" -version 2>&1 | head -n 1))"
    rm -rf "$work"
    WORK_DIR=""
}

WORK_DIR=""
trap '[ -z "$WORK_DIR" ] || rm -rf "$WORK_DIR"' EXIT
BUILD_ARGS=()
if [ "$BASE" = debian ]; then
    if [ "$REBUILD_BASE" = 1 ] || ! podman image exists "$JRE_IMAGE"; then
        build_debian_base
    else
        log "using the existing $JRE_IMAGE (--rebuild-base makes it again)"
    fi
    BUILD_ARGS=(--build-arg "BASE=$JRE_IMAGE")
fi

log "building modelmesh:$TAG with $ENGINE from deploy/Containerfile"
"$ENGINE" build -f deploy/Containerfile "${BUILD_ARGS[@]}" -t "modelmesh:$TAG" .
SIZE="$("$ENGINE" image inspect --format '{{.Size}}' "modelmesh:$TAG" | awk '{printf "%.0f MB", $1 / 1e6}')"
log "built modelmesh:$TAG ($SIZE)"
