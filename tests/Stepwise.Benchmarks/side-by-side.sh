#!/usr/bin/env bash
# The e-commerce sample's runner, built from this tree and from an earlier commit, run alternately against one
# throwaway PostgreSQL: a fresh database each round, install, then the nothing-to-do upgrade ROUNDS times. Answers
# "what did a change cost the runner?" without the drift of runs made an hour apart.
#
#   tests/Stepwise.Benchmarks/side-by-side.sh BASE_REF [ROUNDS]
#
# Prints the median wall time of each build's install and nothing-to-do run, and the median of the per-round ratios
# (this tree / base). Environment variables of the runs (e.g. OTEL_EXPORTER_OTLP_ENDPOINT) pass through to both.
#
# STEPWISE_SBS_MIGRATIONS=N runs the benchmark workload of N migrations (generate-workload.sh, the same generated
# classes for both builds) instead of the sample: install to the newest version, then upgrade with nothing to do.
set -euo pipefail

if [ $# -lt 1 ] || [ $# -gt 2 ] || ! [[ "${2:-15}" =~ ^[1-9][0-9]*$ ]]; then
  echo "usage: $0 BASE_REF [ROUNDS]" >&2
  exit 2
fi
base_ref="$1"
rounds="${2:-15}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"

# shellcheck source=throwaway-postgres.sh
. "$here/throwaway-postgres.sh"
bench_require_tools

work="$(mktemp -d /tmp/stepwise-sbs.XXXXXX)"
pg_dir="$(mktemp -d /dev/shm/stepwise-sbs-pg.XXXXXX)"
cleanup() {
  bench_pg_stop "$pg_dir"
  git -C "$root" worktree remove --force "$work/base" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

bench_log "building the runner from this tree and from $base_ref"
git -C "$root" worktree add --detach "$work/base" "$base_ref" >/dev/null 2>&1 || bench_die "no such commit: $base_ref"
migrations="${STEPWISE_SBS_MIGRATIONS:-}"
if [ -n "$migrations" ]; then
  [[ "$migrations" =~ ^[1-9][0-9]*$ ]] || bench_die "STEPWISE_SBS_MIGRATIONS must be a number of migrations, not '$migrations'"
  "$here/generate-workload.sh" "$work/workload" "$migrations"
  project=tests/Stepwise.Benchmarks/Workload/Stepwise/Stepwise.Bench.Migrations.csproj
  runner=Stepwise.Bench.Migrations
  version=()
else
  project=samples/ECommerce.Migrations
  runner=ECommerce.Migrations
  version=(--version 2.0.0)
fi
for tree in "$root" "$work/base"; do
  name=$([ "$tree" = "$root" ] && echo this || echo base)
  dotnet publish "$tree/$project" -c Release -o "$work/out-$name" -p:BenchWorkload="$work/workload" -nologo -v:quiet -p:UseSharedCompilation=false --disable-build-servers >"$work/$name.build.log" 2>&1 \
    || { tail -20 "$work/$name.build.log" >&2; bench_die "the $name build failed"; }
done

bench_pg_start "$pg_dir"
ms() { local s e; s=$(date +%s%N); "$@" >/dev/null 2>&1 || bench_die "run failed: $*"; e=$(date +%s%N); echo $(( (e - s) / 1000000 )); }
results="$work/results.tsv"
for round in $(seq 1 "$rounds"); do
  order=(this base)
  [ $((round % 2)) -eq 0 ] && order=(base this)
  for name in "${order[@]}"; do
    db="sbs_${name}_$round"
    PGDATABASE=postgres bench_as_pg env PGPASSWORD="$password" "$pg_bin/psql" -h 127.0.0.1 -p "$port" -U bench -qc "CREATE DATABASE $db" postgres >/dev/null
    connection="$(bench_connection "$db")"
    install=$(ms "$work/out-$name/$runner" install "${version[@]}" --connection "$connection")
    again=$(ms "$work/out-$name/$runner" upgrade "${version[@]}" --connection "$connection")
    printf '%s\t%s\t%s\t%s\n' "$round" "$name" "$install" "$again" >> "$results"
  done
done

python3 - "$results" <<'PY'
import statistics, sys
rows = [line.split('\t') for line in open(sys.argv[1]).read().split('\n') if line]
by = {}
for r, name, install, again in rows:
    by.setdefault(name, {})[int(r)] = (int(install), int(again))
for col, label in ((0, 'install'), (1, 'nothing-to-do')):
    this = [by['this'][r][col] for r in sorted(by['this'])]
    base = [by['base'][r][col] for r in sorted(by['base'])]
    ratios = [t / b for t, b in zip(this, base)]
    print(f"{label:14} this {statistics.median(this):7.0f} ms   base {statistics.median(base):7.0f} ms   "
          f"median of per-round ratios {statistics.median(ratios):.3f} ({len(ratios)} rounds)")
PY
