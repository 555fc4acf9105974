#!/usr/bin/env bash
# Runs the e-commerce sample end to end against a throwaway local PostgreSQL that this script starts and removes:
# install v1.1.0, status, upgrade to v2.0.0, history, rollback to v1.0.0, status.
# Installs Debian's postgresql package first when no server binaries are found.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

find_pg_bin() {
  if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
    dirname "$(readlink -f "$(command -v initdb)")"
    return
  fi
  ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}

pg_bin="$(find_pg_bin)"
if [ -z "$pg_bin" ] || [ ! -x "$pg_bin/initdb" ]; then
  echo "PostgreSQL server binaries not found; installing Debian's postgresql package..." >&2
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq postgresql >/dev/null
  pg_bin="$(find_pg_bin)"
fi

# PostgreSQL refuses to run as root: run the throwaway cluster as the postgres user then.
as_pg=()
if [ "$(id -u)" -eq 0 ]; then as_pg=(runuser -u postgres --); fi

work="$(mktemp -d /tmp/stepwise-sample.XXXXXX)"
chmod 777 "$work"
cleanup() {
  "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$work/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

port=$(( 20000 + RANDOM % 30000 ))
while (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$(( port + 1 )); done

password="sample-$RANDOM$RANDOM"
printf '%s' "$password" > "$work/pwfile"
chmod 644 "$work/pwfile"
"${as_pg[@]}" "$pg_bin/initdb" -D "$work/data" -U stepwise --pwfile="$work/pwfile" --auth=scram-sha-256 --no-sync >/dev/null
"${as_pg[@]}" "$pg_bin/pg_ctl" -D "$work/data" -l "$work/server.log" -w \
  -o "-p $port -k $work -c listen_addresses=127.0.0.1" start >/dev/null
PGPASSWORD="$password" "$pg_bin/createdb" -h 127.0.0.1 -p "$port" -U stepwise ecommerce_db

echo "== Throwaway PostgreSQL on 127.0.0.1:$port, database ecommerce_db"
echo "== Building samples/ECommerce.Migrations and the framework it references (a first build restores packages: minutes, not seconds)"
# Each project is listed as it finishes, so a long first build shows it is moving.
dotnet build "$repo/samples/ECommerce.Migrations" -v minimal -nologo -clp:NoSummary
run() {
  echo
  echo "== stepwise $*"
  dotnet run --no-build --project "$repo/samples/ECommerce.Migrations" -- "$@" \
    --database-type postgresql --connection "Host=127.0.0.1;Port=$port;Database=ecommerce_db;Username=stepwise;Password=$password"
}

run install --project e-commerce-api --version v1.1.0 --environment dev
run status --project e-commerce-api
run upgrade --project e-commerce-api --version v2.0.0 --from-version v1.1.0 --environment dev
run history --project e-commerce-api
run rollback --project e-commerce-api --version v1.0.0 --environment dev
run status --project e-commerce-api
