#!/usr/bin/env bash
# Times Stepwise against DbUp, FluentMigrator, Evolve, a plain-Npgsql program and psql on the same generated workload,
# whole process (start-up included), against a throwaway local PostgreSQL that this script starts and removes.
#
#   tests/Stepwise.Benchmarks/compare.sh N [ROUNDS]
#
# For each round and each tool (the order rotates every round): a fresh database, "apply" (every migration into the
# empty database; wall time and peak RSS), a correctness check (N tables t_i with 20 rows and the index each; fails
# the script otherwise), then "re-run" (the same command again: nothing to do; wall time). Prints the medians, the
# ratios the performance targets are stated in, and writes everything under the work folder.
#
# Environment:
#   STEPWISE_BENCH_WORK=DIR      work folder (default: a new folder under /tmp, removed at the end unless KEEP=1)
#   STEPWISE_BENCH_KEEP=1        keep the work folder (workload, builds, logs, results.tsv)
#   STEPWISE_BENCH_TOOLS="..."   the tools to run (default: all of psql npgsql stepwise stepwise-r2r dbup fluentmigrator evolve);
#                                stepwise-sc (self-contained, composite ReadyToRun, about a minute to compile) and
#                                stepwise-aot (Native AOT: the runner-image build, about a minute too) run only when
#                                named here
#   STEPWISE_BENCH_R2R=0         skip the ReadyToRun build of Stepwise
#   STEPWISE_BENCH_DISK=1        keep the server's data on disk instead of in memory (see below why memory is the default)
#   STEPWISE_BENCH_PG_OPTS="..." extra server options, e.g. "-c log_statement=all" to count round trips
#   STEPWISE_BENCH_HOLD=1        build, start the server, print how to reach it, and wait until WORK/hold is removed
#                                (for profiling by hand)
#
# Exit status: 0 when every run succeeded and every database checked out; 1 otherwise.
set -euo pipefail

if [ $# -lt 1 ] || [ $# -gt 2 ] || ! [[ "$1" =~ ^[1-9][0-9]*$ ]] || ! [[ "${2:-1}" =~ ^[1-9][0-9]*$ ]]; then
  echo "usage: $0 N [ROUNDS]   (N migrations, ROUNDS interleaved rounds, default 5)" >&2
  exit 2
fi
n="$1"
rounds="${2:-5}"

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
all_tools=(psql npgsql stepwise stepwise-r2r dbup fluentmigrator evolve)
read -r -a tools <<< "${STEPWISE_BENCH_TOOLS:-${all_tools[*]}}"
if [ "${STEPWISE_BENCH_R2R:-1}" = "0" ]; then
  tools=("${tools[@]/stepwise-r2r}")
fi
read -r -a tools <<< "${tools[*]}"

# shellcheck source=throwaway-postgres.sh
. "$here/throwaway-postgres.sh"
log() { bench_log "$@"; }
die() { bench_die "$@"; }
bench_require_tools

# ---------------------------------------------------------------------------------------------------------------------
# Work folder, workload, builds.
if [ -n "${STEPWISE_BENCH_WORK:-}" ]; then
  work="$STEPWISE_BENCH_WORK"
  mkdir -p "$work"
else
  work="$(mktemp -d /tmp/stepwise-bench.XXXXXX)"
fi
work="$(cd "$work" && pwd)"
chmod 755 "$work"

# The server's data lives in memory by default (/dev/shm): this machine's disk has fsync latencies that swing from
# 0.1 ms to over 10 ms, and PostgreSQL 15 syncs every new index at CREATE INDEX, so on disk the same run varied 2-3x
# between rounds for every tool alike and buried the differences between tools. fsync stays on (it is just cheap in
# memory). STEPWISE_BENCH_DISK=1 puts the data under the work folder instead, as a real server's would be.
if [ "${STEPWISE_BENCH_DISK:-0}" != "1" ] && [ -d /dev/shm ] && [ -w /dev/shm ]; then
  pg_dir="$(mktemp -d /dev/shm/stepwise-bench-pg.XXXXXX)"
  storage="data in memory (/dev/shm)"
else
  pg_dir="$work/pg"
  storage="data on disk"
fi

cleanup() {
  bench_pg_stop "$pg_dir"
  if [ "${STEPWISE_BENCH_KEEP:-0}" != "1" ] && [ -z "${STEPWISE_BENCH_WORK:-}" ]; then
    rm -rf "$work"
  else
    log "work folder kept: $work"
  fi
}
trap cleanup EXIT

log "generating $n migrations in $work/workload"
"$here/generate-workload.sh" "$work/workload" "$n"

has_tool() { local t; for t in "${tools[@]}"; do [ "$t" = "$1" ] && return 0; done; return 1; }

publish() { # name project [extra publish arguments...]
  local name="$1" project="$2"
  shift 2
  log "building $name (Release)"
  if ! dotnet publish "$here/Workload/$project" -c Release -o "$work/bin/$name" -p:BenchWorkload="$work/workload" \
      -nologo -v quiet "$@" > "$work/build-$name.log" 2>&1; then
    tail -n 30 "$work/build-$name.log" >&2
    return 1
  fi
}

has_tool stepwise && { publish stepwise Stepwise/Stepwise.Bench.Migrations.csproj || die "building Stepwise"; }
if has_tool stepwise-r2r; then
  # ReadyToRun needs a runtime identifier; the build is still framework-dependent.
  if ! publish stepwise-r2r Stepwise/Stepwise.Bench.Migrations.csproj -r linux-x64 --self-contained false -p:PublishReadyToRun=true \
      --artifacts-path "$work/artifacts/r2r"; then
    log "ReadyToRun build failed (see above); leaving out its column"
    tools=("${tools[@]/stepwise-r2r}")
    read -r -a tools <<< "${tools[*]}"
  fi
fi
if has_tool stepwise-sc; then
  # The shape of a runner image: the framework and the app precompiled together, so that the framework's generic
  # instantiations over the migrations' types are precompiled too. Each ReadyToRun build has its own intermediate files:
  # the projects it references are built for the same runtime identifier with other settings, and mixing them crashes.
  publish stepwise-sc Stepwise/Stepwise.Bench.Migrations.csproj -r linux-x64 --self-contained true -p:PublishReadyToRun=true \
    -p:PublishReadyToRunComposite=true --artifacts-path "$work/artifacts/sc" || die "building Stepwise self-contained"
fi
if has_tool stepwise-aot; then
  # The runner image as README.md ships it: one native executable, no JIT at all.
  publish stepwise-aot Stepwise/Stepwise.Bench.Migrations.csproj -r linux-x64 -p:PublishAot=true \
    --artifacts-path "$work/artifacts/aot" || die "building Stepwise with Native AOT"
fi
has_tool npgsql && { publish npgsql NpgsqlFloor/Bench.NpgsqlFloor.csproj || die "building the plain-Npgsql floor"; }
has_tool dbup && { publish dbup DbUp/Bench.DbUp.csproj || die "building DbUp"; }
has_tool fluentmigrator && { publish fluentmigrator FluentMigrator/Bench.FluentMigrator.csproj || die "building FluentMigrator"; }
has_tool evolve && { publish evolve Evolve/Bench.Evolve.csproj || die "building Evolve"; }

# ---------------------------------------------------------------------------------------------------------------------
bench_pg_start "$pg_dir" "${STEPWISE_BENCH_PG_OPTS:-}"
server_version="$("$psql_bin" -X -d postgres -Atc 'SHOW server_version')"
log "PostgreSQL $server_version on 127.0.0.1:$port, $storage"
connection() { bench_connection "$@"; }

if [ "${STEPWISE_BENCH_HOLD:-0}" = "1" ]; then
  # For profiling by hand: the builds and a server stay up until $work/hold is removed.
  "$psql_bin" -X -d postgres -qc 'CREATE DATABASE hold' >/dev/null
  {
    echo "PGHOST=127.0.0.1 PGPORT=$port PGUSER=bench PGPASSWORD=$password"
    echo "connection: $(connection hold)"
    echo "builds: $work/bin/<tool>; server log: $pg_dir/server.log; remove $work/hold to stop"
  } | tee "$work/hold"
  while [ -e "$work/hold" ]; do sleep 1; done
  exit 0
fi

# ---------------------------------------------------------------------------------------------------------------------
# One tool's command for a database, into the array cmd: apply and re-run are the same command for the migration
# tools (the second run finds nothing to do); for psql the re-run is a bare connection and `select 1`, the floor of
# any check.
tool_command() { # tool db mode
  local tool="$1" db="$2" mode="$3" cs
  cs="$(connection "$db")"
  case "$tool" in
    psql)
      if [ "$mode" = apply ]; then
        cmd=("$psql_bin" -X -q -1 -v ON_ERROR_STOP=1 -d "$db" -f "$work/workload/all.sql")
      else
        cmd=("$psql_bin" -X -q -d "$db" -c 'select 1')
      fi ;;
    npgsql) cmd=("$work/bin/npgsql/Bench.NpgsqlFloor" "$cs" "$work/workload/all.sql" "t_$n") ;;
    stepwise | stepwise-r2r | stepwise-sc | stepwise-aot)
      local verb=install; [ "$mode" = rerun ] && verb=upgrade
      cmd=("$work/bin/$tool/Stepwise.Bench.Migrations" "$verb" --project bench --environment bench --connection "$cs") ;;
    dbup) cmd=("$work/bin/dbup/Bench.DbUp" "$cs") ;;
    fluentmigrator) cmd=("$work/bin/fluentmigrator/Bench.FluentMigrator" "$cs") ;;
    evolve) cmd=("$work/bin/evolve/Bench.Evolve" "$cs") ;;
    *) die "unknown tool $tool" ;;
  esac
}

# Wall time in microseconds (from the shell, around the whole process) and peak RSS in KiB (from GNU time).
measure() { # tool db mode round
  local tool="$1" db="$2" mode="$3" round="$4" start end rc=0 rss
  local out="$work/logs/$tool-$mode-$round.log"
  tool_command "$tool" "$db" "$mode"
  start=$(date +%s%N)
  /usr/bin/time -f '%M' -o "$work/rss.tmp" "${cmd[@]}" > "$out" 2>&1 || rc=$?
  end=$(date +%s%N)
  rss="$(tail -n 1 "$work/rss.tmp")"
  if [ "$rc" -ne 0 ]; then
    tail -n 25 "$out" >&2
    die "$tool $mode (round $round) exited with $rc; log: $out"
  fi
  printf '%s\t%s\t%s\t%s\t%s\n' "$tool" "$round" "$mode" "$(( (end - start) / 1000 ))" "$rss" >> "$work/results.tsv"
}

verify() { # tool db
  local got
  got="$("$psql_bin" -X -d "$2" -At -F ' ' <<SQL
SELECT
  (SELECT count(*) FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace
    WHERE s.nspname = 'public' AND c.relkind = 'r' AND c.relname ~ '^t_[0-9]+\$'),
  (SELECT count(*) FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace
    WHERE s.nspname = 'public' AND c.relkind = 'i' AND c.relname ~ '^ix_t_[0-9]+_name\$'),
  (SELECT count(*) FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace
    WHERE s.nspname = 'public' AND c.relkind = 'r' AND c.relname ~ '^t_[0-9]+\$'
      AND (xpath('/row/c/text()', query_to_xml(format('SELECT count(*) AS c FROM public.%I', c.relname), false, true, '')))[1]::text::int = 20)
SQL
)"
  [ "$got" = "$n $n $n" ] || die "$1: expected $n tables, $n indexes and $n tables of 20 rows; found (tables indexes full) = $got"
  if [[ "$1" == stepwise* ]]; then
    got="$("$psql_bin" -X -d "$2" -Atc "SELECT (SELECT count(*) FROM stepwise.applied_migration WHERE project = 'bench' AND status = 'applied')
      || ' ' || (SELECT count(*) FROM stepwise.migration_history WHERE project = 'bench' AND status = 'succeeded')")"
    [ "$got" = "$n $n" ] || die "$1: expected $n applied migrations and $n history rows; found $got"
  fi
}

mkdir -p "$work/logs"
load_before="$(cut -d " " -f 1-3 /proc/loadavg)"
: > "$work/results.tsv"
log "tools: ${tools[*]}; $rounds round(s) of $n migrations"
for ((round = 1; round <= rounds; round++)); do
  # Rotate the order each round so that no tool always runs right after the same neighbour.
  count=${#tools[@]}
  for ((k = 0; k < count; k++)); do
    tool="${tools[$(( (k + round - 1) % count ))]}"
    db="bench_${tool//-/_}_$round"
    "$psql_bin" -X -q -d postgres -c "CREATE DATABASE $db" >/dev/null
    "$psql_bin" -X -q -d postgres -c 'CHECKPOINT' >/dev/null
    measure "$tool" "$db" apply "$round"
    verify "$tool" "$db"
    "$psql_bin" -X -q -d postgres -c 'CHECKPOINT' >/dev/null
    measure "$tool" "$db" rerun "$round"
    "$psql_bin" -X -q -d postgres -c "DROP DATABASE $db" >/dev/null
    log "round $round/$rounds: $tool ok"
  done
done

# ---------------------------------------------------------------------------------------------------------------------
# Medians and ratios.
median() { # tool mode column(4 = microseconds, 5 = KiB)
  awk -F '\t' -v t="$1" -v m="$2" -v c="$3" '$1 == t && $3 == m { print $c }' "$work/results.tsv" | sort -n |
    awk '{ v[NR] = $1 } END { if (NR == 0) print ""; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

declare -A apply rerun rss
for tool in "${tools[@]}"; do
  apply[$tool]="$(median "$tool" apply 4)"
  rerun[$tool]="$(median "$tool" rerun 4)"
  rss[$tool]="$(median "$tool" apply 5)"
done

label() {
  case "$1" in
    psql) echo "psql -1 -f all.sql (floor; re-run: psql -c 'select 1')" ;;
    npgsql) echo "plain Npgsql, one transaction (.NET floor)" ;;
    stepwise) echo "**Stepwise** (framework-dependent)" ;;
    stepwise-r2r) echo "**Stepwise** (ReadyToRun)" ;;
    stepwise-sc) echo "**Stepwise** (self-contained, composite ReadyToRun)" ;;
    stepwise-aot) echo "**Stepwise** (Native AOT)" ;;
    dbup) echo "DbUp (dbup-postgresql 7.0.1)" ;;
    fluentmigrator) echo "FluentMigrator 8.0.1" ;;
    evolve) echo "Evolve 3.2.0" ;;
  esac
}
secs() { awk -v u="$1" 'BEGIN { printf "%.3f s", u / 1e6 }'; }
mib() { awk -v k="$1" 'BEGIN { printf "%.0f MiB", k / 1024 }'; }
ratio() { # a b
  if [ -z "$1" ] || [ -z "$2" ]; then echo "n/a"; else awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2fx", a / b }'; fi
}
min_of() { printf '%s\n' "$@" | grep -v '^$' | sort -n | head -n 1; }

echo
echo "N=$n, $rounds round(s), medians; PostgreSQL $server_version on loopback, $storage; $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); $(date -u +%Y-%m-%d)"
echo "load average (1, 5, 15 min) before: $load_before; after: $(cut -d " " -f 1-3 /proc/loadavg)"
echo
echo "| tool | apply all to an empty database | nothing-to-do re-run | peak RSS (apply) |"
echo "|---|---:|---:|---:|"
for tool in "${tools[@]}"; do
  echo "| $(label "$tool") | $(secs "${apply[$tool]}") | $(secs "${rerun[$tool]}") | $(mib "${rss[$tool]}") |"
done

peers=()
for tool in dbup fluentmigrator evolve; do has_tool "$tool" && peers+=("$tool"); done
if [ ${#peers[@]} -gt 0 ]; then
  best_apply="$(min_of "$(for p in "${peers[@]}"; do echo "${apply[$p]}"; done)")"
  best_rss="$(min_of "$(for p in "${peers[@]}"; do echo "${rss[$p]}"; done)")"
else
  best_apply=""; best_rss=""
fi
stepwise_builds=(stepwise stepwise-r2r stepwise-sc stepwise-aot)
echo
echo "| ratio (target) | $(for s in "${stepwise_builds[@]}"; do has_tool "$s" && printf '%s | ' "$(label "$s")"; done | sed 's/ | $//') |"
echo "|---|$(for s in "${stepwise_builds[@]}"; do has_tool "$s" && printf -- '---:|'; done)"
row() { # title function
  printf '| %s |' "$1"
  for s in "${stepwise_builds[@]}"; do has_tool "$s" && printf ' %s |' "$($2 "$s")"; done
  echo
}
r_rerun_dbup() { ratio "${rerun[$1]}" "${rerun[dbup]:-}"; }
r_apply_peer() { ratio "${apply[$1]}" "$best_apply"; }
r_apply_psql() { ratio "${apply[$1]}" "${apply[psql]:-}"; }
r_rss_peer() { ratio "${rss[$1]}" "$best_rss"; }
if has_tool stepwise || has_tool stepwise-r2r || has_tool stepwise-sc || has_tool stepwise-aot; then
  row "nothing-to-do vs DbUp (<= 0.50x)" r_rerun_dbup
  row "apply vs fastest peer (<= 0.75x)" r_apply_peer
  row "apply vs psql -1 -f (<= 1.25x)" r_apply_psql
  row "peak RSS vs lowest peer (<= 0.75x)" r_rss_peer
fi
echo
if [ "${STEPWISE_BENCH_KEEP:-0}" = "1" ] || [ -n "${STEPWISE_BENCH_WORK:-}" ]; then
  echo "raw results (tool, round, mode, microseconds, peak RSS KiB): $work/results.tsv"
fi
