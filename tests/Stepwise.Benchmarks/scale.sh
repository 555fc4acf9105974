#!/usr/bin/env bash
# The scale targets: 10,000 migrations across 100 projects (100 real assemblies, made by the Scale project).
#
#   tests/Stepwise.Benchmarks/scale.sh [ROUNDS]
#
# 1. In process: one cold pass (fresh process, nothing warmed up) of discovery + planning over all 100 projects, and
#    one of a single project given all 100 assemblies (what a runner started with --project does),
#    three times. Target: discovery + planning under 200 ms.
# 2. Whole process: the generic runner (Stepwise.Runner) on a throwaway PostgreSQL where project scale-p001 is
#    installed; the nothing-to-do `upgrade --project scale-p001` given all 100 assemblies (10,000 migrations known)
#    against the same given only scale-p001's assembly (100 migrations known); interleaved ROUNDS (default 5), medians.
#    Target: at most 1.5x.
#
# The BenchmarkDotNet benchmarks (steady state, allocations) run separately; see docs/benchmarks.md.
# Environment: STEPWISE_BENCH_WORK, STEPWISE_BENCH_KEEP as for compare.sh.
set -euo pipefail

rounds="${1:-5}"
[[ "$rounds" =~ ^[1-9][0-9]*$ ]] || { echo "usage: $0 [ROUNDS]" >&2; exit 2; }
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
# shellcheck source=throwaway-postgres.sh
. "$here/throwaway-postgres.sh"
bench_require_tools

if [ -n "${STEPWISE_BENCH_WORK:-}" ]; then work="$STEPWISE_BENCH_WORK"; mkdir -p "$work"; else work="$(mktemp -d /tmp/stepwise-scale.XXXXXX)"; fi
work="$(cd "$work" && pwd)"
chmod 755 "$work"
cleanup() {
  bench_pg_stop "$work/pg"
  if [ "${STEPWISE_BENCH_KEEP:-0}" != "1" ] && [ -z "${STEPWISE_BENCH_WORK:-}" ]; then rm -rf "$work"; else bench_log "work folder kept: $work"; fi
}
trap cleanup EXIT

bench_log "building the Scale project and the generic runner (Release)"
dotnet build "$here/Scale" -c Release -nologo -v quiet > "$work/build-scale.log" 2>&1 || { tail -n 30 "$work/build-scale.log" >&2; bench_die "building Scale"; }
dotnet publish "$repo/src/Stepwise.Runner" -c Release -o "$work/bin/runner" -nologo -v quiet > "$work/build-runner.log" 2>&1 ||
  { tail -n 30 "$work/build-runner.log" >&2; bench_die "building the runner"; }
scale="$here/Scale/bin/Release/net10.0/Stepwise.Benchmarks.Scale"

mkdir -p "$work/all" "$work/one"
"$scale" --build 100 100 > "$work/assemblies.txt"
xargs -a "$work/assemblies.txt" cp -t "$work/all"
cp "$(head -n 1 "$work/assemblies.txt")" "$work/one/"
[ "$(ls "$work/all" | wc -l)" -eq 100 ] || bench_die "expected 100 assemblies"

echo
echo "== In process, cold (a fresh process each time)"
for i in 1 2 3; do "$scale" --cold 100 100; done
for i in 1 2 3; do "$scale" --cold-one 100 100; done

bench_pg_start "$work/pg"
"$psql_bin" -X -q -d postgres -c 'CREATE DATABASE scale' >/dev/null
cs="$(bench_connection scale)"
runner="$work/bin/runner/Stepwise.Runner"
"$runner" install --project scale-p001 --environment bench --connection "$cs" --assembly-dir "$work/all" > "$work/install.log" 2>&1 ||
  { tail -n 25 "$work/install.log" >&2; bench_die "installing scale-p001"; }
got="$("$psql_bin" -X -d scale -Atc "SELECT count(*) FROM stepwise.applied_migration WHERE project = 'scale-p001'")"
[ "$got" = 100 ] || bench_die "expected 100 applied migrations of scale-p001, found $got"

: > "$work/results.tsv"
measure() { # label arguments...
  local label="$1" start end rc=0
  shift
  start=$(date +%s%N)
  /usr/bin/time -f '%M' -o "$work/rss.tmp" "$runner" upgrade --project scale-p001 --environment bench --connection "$cs" "$@" > "$work/$label.log" 2>&1 || rc=$?
  end=$(date +%s%N)
  [ "$rc" -eq 0 ] || { tail -n 25 "$work/$label.log" >&2; bench_die "$label exited with $rc"; }
  printf '%s\t%s\t%s\n' "$label" "$(( (end - start) / 1000 ))" "$(tail -n 1 "$work/rss.tmp")" >> "$work/results.tsv"
}
bench_log "nothing-to-do runs: $rounds round(s)"
for ((round = 1; round <= rounds; round++)); do
  if (( round % 2 )); then
    measure known-100 --assembly "$work/one/$(ls "$work/one")"
    measure known-10000 --assembly-dir "$work/all"
  else
    measure known-10000 --assembly-dir "$work/all"
    measure known-100 --assembly "$work/one/$(ls "$work/one")"
  fi
done

median() { awk -F '\t' -v l="$1" -v c="$2" '$1 == l { print $c }' "$work/results.tsv" | sort -n |
  awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
small="$(median known-100 2)"; large="$(median known-10000 2)"
echo
echo "== Whole process, nothing to do (generic runner, upgrade --project scale-p001), $rounds round(s), medians"
echo
echo "| migrations the runner knows | nothing-to-do run | peak RSS |"
echo "|---|---:|---:|"
awk -v t="$small" -v r="$(median known-100 3)" 'BEGIN { printf "| 100 (1 project) | %.3f s | %.0f MiB |\n", t / 1e6, r / 1024 }'
awk -v t="$large" -v r="$(median known-10000 3)" 'BEGIN { printf "| 10,000 (100 projects) | %.3f s | %.0f MiB |\n", t / 1e6, r / 1024 }'
awk -v a="$large" -v b="$small" 'BEGIN { printf "\nratio 10,000 / 100: %.2fx (target <= 1.5x)\n", a / b }'
