#!/usr/bin/env bash
# Makes the secrets compose.yaml reads, under .compose/ at the repository's top (git ignores it):
#
#   .compose/secrets/admin-token             the bootstrap admin token (scope admin): mmctl --token-file, or MM_TOKEN
#   .compose/secrets/join-token              the token nodes join with (scope node)
#   .compose/secrets/db-password             PostgreSQL's password for the user modelmesh
#   .compose/secrets/grafana-admin-password  Grafana's user admin
#   .compose/controlplane.env                MM_ADMIN_TOKEN and MM_JOIN_TOKEN for the control planes (env_file)
#
#   deploy/compose-secrets.sh [--dir DIR]
#
# Each value is 32 random bytes; tokens have the servers' form (mmt_ and 43 URL-safe characters). A file that exists
# is kept, so running it again changes nothing; to rotate a token, delete its file and both copies are made anew
# (then restart the control planes: they adopt the new token and revoke the old one, docs/security.md). The
# directory is owner-only (0700). The secret files are mounted into the containers, whose users (10001, postgres,
# grafana) are not you, so they are readable by all (0644) inside that owner-only directory; controlplane.env is read
# by docker compose itself and stays 0600.
set -euo pipefail

DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/.compose"
while [ $# -gt 0 ]; do
    case "$1" in
        --dir) [ $# -ge 2 ] || { echo "compose-secrets.sh: --dir needs a directory" >&2; exit 2; }; DIR="$2"; shift 2 ;;
        -h | --help) sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "compose-secrets.sh: unknown option '$1' (try --help)" >&2; exit 2 ;;
    esac
done

random() {
    head -c 32 /dev/urandom | basenc --base64url | tr -d '=\n'
}

umask 077
mkdir -p "$DIR/secrets"
chmod 700 "$DIR" "$DIR/secrets"

made=()
secret() { # NAME VALUE-PREFIX
    local file="$DIR/secrets/$1"
    if [ ! -s "$file" ]; then
        printf '%s%s\n' "$2" "$(random)" > "$file.tmp"
        mv "$file.tmp" "$file"
        made+=("$1")
    fi
    chmod 644 "$file"
}
secret admin-token mmt_
secret join-token mmt_
secret db-password ""
secret grafana-admin-password ""

ENV_FILE="$DIR/controlplane.env"
{
    echo "# Made by deploy/compose-secrets.sh from secrets/admin-token and secrets/join-token; read by compose.yaml."
    echo "MM_ADMIN_TOKEN=$(head -n 1 "$DIR/secrets/admin-token")"
    echo "MM_JOIN_TOKEN=$(head -n 1 "$DIR/secrets/join-token")"
} > "$ENV_FILE.tmp"
chmod 600 "$ENV_FILE.tmp"
mv "$ENV_FILE.tmp" "$ENV_FILE"

if [ ${#made[@]} -gt 0 ]; then
    echo "compose-secrets.sh: made ${made[*]} in $DIR/secrets" >&2
else
    echo "compose-secrets.sh: kept the secrets in $DIR/secrets" >&2
fi
