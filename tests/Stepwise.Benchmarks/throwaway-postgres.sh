# Sourced by the benchmark scripts: installs what a fresh machine lacks, starts a throwaway PostgreSQL on loopback
# and stops it. Password authentication over TCP, as a real server is reached.
#
#   bench_require_tools          PostgreSQL server binaries and psql, GNU time, the .NET SDK (sets pg_bin, psql_bin)
#   bench_pg_start DIR [OPTS]    initdb + start in DIR (sets port, password; exports PGHOST PGPORT PGUSER PGPASSWORD)
#   bench_pg_stop DIR            stops the server and removes DIR
#   bench_connection DB          the Npgsql connection string of database DB

bench_log() { printf '%s %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
bench_die() { bench_log "FAILED: $*"; exit 1; }

bench_find_pg_bin() {
  if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
    dirname "$(readlink -f "$(command -v initdb)")"
    return
  fi
  ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}

bench_apt_updated=0
bench_apt_install() {
  local sudo=""
  if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then sudo="sudo"; fi
  if [ "$bench_apt_updated" -eq 0 ]; then $sudo apt-get update -qq; bench_apt_updated=1; fi
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$@" >/dev/null
}

bench_require_tools() {
  pg_bin="$(bench_find_pg_bin)"
  if [ -z "$pg_bin" ] || [ ! -x "$pg_bin/initdb" ]; then
    bench_log "PostgreSQL server binaries not found; installing Debian's postgresql package"
    bench_apt_install postgresql
    pg_bin="$(bench_find_pg_bin)"
  fi
  psql_bin="$pg_bin/psql"
  [ -x "$psql_bin" ] || psql_bin="$(command -v psql)"
  if [ ! -x /usr/bin/time ]; then
    bench_log "GNU time not found (it measures peak RSS); installing Debian's time package"
    bench_apt_install time
  fi
  command -v dotnet >/dev/null 2>&1 || bench_die "the .NET SDK is required on PATH"
  export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
}

# PostgreSQL refuses to run as root: the throwaway cluster runs as the postgres user then.
bench_as_pg() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

bench_pg_start() { # dir [extra server options]
  local dir="$1" extra="${2:-}"
  mkdir -p "$dir"
  chmod 777 "$dir"
  port=$(( 20000 + RANDOM % 30000 ))
  while (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$(( port + 1 )); done
  password="bench-$RANDOM$RANDOM"
  printf '%s' "$password" > "$dir/pwfile"
  chmod 644 "$dir/pwfile"
  bench_as_pg "$pg_bin/initdb" -D "$dir/data" -U bench --pwfile="$dir/pwfile" --auth=scram-sha-256 --no-sync >/dev/null
  # Defaults otherwise (fsync and synchronous_commit on). More lock slots so that psql -1 and the one-transaction
  # floor can hold the locks of every table of a large N in one transaction.
  bench_as_pg "$pg_bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_locks_per_transaction=1024 $extra" start >/dev/null
  export PGHOST=127.0.0.1 PGPORT="$port" PGUSER=bench PGPASSWORD="$password"
}

bench_pg_stop() { # dir
  if [ -d "$1/data" ]; then
    # A clean shutdown: an immediate one leaves its dynamic shared memory segments behind in /dev/shm.
    bench_as_pg "$pg_bin/pg_ctl" -D "$1/data" -m fast stop >/dev/null 2>&1 || true
  fi
  rm -rf "$1"
}

bench_connection() { printf 'Host=127.0.0.1;Port=%s;Database=%s;Username=bench;Password=%s' "$port" "$1" "$password"; }
