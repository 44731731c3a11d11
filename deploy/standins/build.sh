#!/usr/bin/env bash
# Builds local stand-ins for the upstream images compose.yaml names, from Debian bookworm's packages, for machines
# that reach Debian but no container registry (deploy/compose-smoke.sh uses them through deploy/compose.smoke.yaml):
#
#   localhost/modelmesh-standin-postgres:15     postgresql-15, entry point deploy/standins/postgres-entrypoint
#                                               (the official image's POSTGRES_* environment)
#   localhost/modelmesh-standin-redis:7         redis-server (bookworm has 7.0), run as redis
#   localhost/modelmesh-standin-prometheus:2    prometheus (2.42), entry point /usr/bin/prometheus, run as nobody
#
# Grafana is not packaged by Debian, so it has no stand-in. All three are tags of one root filesystem made by
# mmdebstrap (minbase) and imported with podman import; --rebuild makes them again. Needs root, mmdebstrap, podman.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REBUILD=0
[ "${1:-}" = --rebuild ] && REBUILD=1
POSTGRES=localhost/modelmesh-standin-postgres:15
REDIS=localhost/modelmesh-standin-redis:7
PROMETHEUS=localhost/modelmesh-standin-prometheus:2

if [ "$REBUILD" = 0 ] && podman image exists "$POSTGRES" && podman image exists "$REDIS" \
        && podman image exists "$PROMETHEUS"; then
    echo "standins/build.sh: using the existing stand-ins (--rebuild makes them again)" >&2
    exit 0
fi
command -v mmdebstrap >/dev/null 2>&1 || { echo "standins/build.sh: needs mmdebstrap" >&2; exit 1; }
WORK="$(mktemp -d "${TMPDIR:-/tmp}/modelmesh-standins.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

# No cluster is made at install time (the entry point makes one in the volume); services are not started in the
# chroot (mmdebstrap's policy-rc.d). PGDATA and Prometheus' storage are owned by their users, so a named volume
# mounted there starts out writable.
mmdebstrap --variant=minbase --quiet \
    --include=postgresql-15,postgresql-client-15,redis-server,redis-tools,prometheus \
    --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/doc/*' \
    --essential-hook='mkdir -p "$1/etc/postgresql-common/createcluster.d"' \
    --essential-hook='echo "create_main_cluster = false" > "$1/etc/postgresql-common/createcluster.d/no-main.conf"' \
    --customize-hook="copy-in $HERE/postgres-entrypoint /usr/local/bin" \
    --customize-hook='chroot "$1" install -d -o postgres -g postgres -m 0700 /var/lib/postgresql/data' \
    --customize-hook='chroot "$1" install -d -o postgres -g postgres -m 2775 /var/run/postgresql' \
    --customize-hook='chroot "$1" install -d -o nobody -g nogroup -m 0755 /prometheus /etc/prometheus' \
    --customize-hook='rm -rf "$1"/var/lib/apt/lists/* "$1"/var/cache/apt/*' \
    bookworm "$WORK/rootfs.tar"

PATH_ENV='ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'
podman import --change "$PATH_ENV" --change 'ENV PGDATA=/var/lib/postgresql/data' --change 'USER postgres' \
    --change 'ENTRYPOINT ["/usr/local/bin/postgres-entrypoint"]' --change 'CMD []' \
    --change 'STOPSIGNAL SIGINT' "$WORK/rootfs.tar" "$POSTGRES" >/dev/null
podman import --change "$PATH_ENV" --change 'USER redis' --change 'WORKDIR /var/lib/redis' \
    --change 'CMD ["redis-server"]' "$WORK/rootfs.tar" "$REDIS" >/dev/null
podman import --change "$PATH_ENV" --change 'USER nobody' --change 'WORKDIR /prometheus' \
    --change 'ENTRYPOINT ["/usr/bin/prometheus"]' \
    --change 'CMD ["--config.file=/etc/prometheus/prometheus.yml", "--storage.tsdb.path=/prometheus"]' \
    "$WORK/rootfs.tar" "$PROMETHEUS" >/dev/null
echo "standins/build.sh: made $POSTGRES, $REDIS and $PROMETHEUS" >&2
