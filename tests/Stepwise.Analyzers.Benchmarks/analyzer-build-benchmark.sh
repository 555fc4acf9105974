#!/usr/bin/env bash
# Measures what the Stepwise analyzers and checksum generator add to a migrations project's build.
#
# Generates a project of N migrations (default 500) with realistic SQL, then rebuilds it (--no-incremental, so the
# compiler always runs) in two modes, interleaved so that machine noise hits both alike:
#   baseline    the project without the Stepwise compiler extensions (the SDK's own analyzers still run)
#   full        with Stepwise.Analyzers.dll (analyzers and checksum generator), as a service team builds
# Each build runs its own compiler process and MSBuild nodes (no compiler server, no node reuse), as on a CI agent,
# so that no other build on the machine shares them. Prints, per mode, the median wall time and the median CPU time
# (user + system, the build and all its child processes), and the overhead of `full` over `baseline`. The CPU time is
# the steadier figure on a shared machine: it is the build's own work and does not grow while other processes run.
#
# Usage: analyzer-build-benchmark.sh [migrations=500] [runs=7]
set -euo pipefail

count=${1:-500}
runs=${2:-7}
repo=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
[[ -n "${KEEP_BENCH:-}" ]] && echo "project kept in $work" >&2
[[ -z "${KEEP_BENCH:-}" ]] && trap 'rm -rf "$work"' EXIT
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

echo "Building Stepwise and its analyzers (Release)..." >&2
dotnet build "$repo/src/Stepwise/Stepwise.csproj" -c Release -nologo -v:quiet >&2
stepwise_dll="$repo/src/Stepwise/bin/Release/net10.0/Stepwise.dll"
analyzer_dll="$repo/analyzers/Stepwise.Analyzers/bin/Release/netstandard2.0/Stepwise.Analyzers.dll"

project="$work/Bench.Migrations"
mkdir -p "$project/Migrations"
cat > "$project/Bench.Migrations.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <TargetFramework>net10.0</TargetFramework>
    <ImplicitUsings>enable</ImplicitUsings>
    <Nullable>enable</Nullable>
  </PropertyGroup>
  <ItemGroup>
    <Reference Include="$stepwise_dll" />
    <Analyzer Include="$analyzer_dll" Condition="'\$(StepwiseExtensions)' == 'true'" />
  </ItemGroup>
</Project>
XML

# A stand-in for the PostgreSQL engine's context: the SQL rules recognise it by name and by its 'sql' parameters.
cat > "$project/PostgresContext.cs" <<'CS'
[assembly: Stepwise.MigrationProject("bench")]

namespace Stepwise.PostgreSql;

public sealed class PostgresContext : IMigrationContext
{
    public string Project => "bench";
    public string? Environment => null;
    public MigrationDirection Direction => MigrationDirection.Up;
    public Task<int> ExecuteAsync(string sql, CancellationToken ct) => Task.FromResult(0);
    public Task<int> ExecuteAsync(string sql, object? param, CancellationToken ct) => Task.FromResult(0);
    public Task<T?> ScalarAsync<T>(string sql, CancellationToken ct) => Task.FromResult<T?>(default);
    public Task<bool> TableExistsAsync(string table, CancellationToken ct) => Task.FromResult(true);
}

public abstract class PostgresMigration : Migration<PostgresContext>
{
}
CS

for ((i = 1; i <= count; i++)); do
  version="1.$((i / 100)).$((i % 100))"
  cat > "$project/Migrations/M$i.cs" <<CS
using Stepwise;
using Stepwise.PostgreSql;

namespace Bench.Migrations;

[Migration("$version", 1, Description = "Orders table $i")]
public sealed class M$i : PostgresMigration
{
    public override async Task PreCheck(PostgresContext db, CancellationToken ct) =>
        Require(!await db.TableExistsAsync("orders_$i", ct), "orders_$i does not exist yet");

    public override async Task Up(PostgresContext db, CancellationToken ct)
    {
        await db.ExecuteAsync(
            """
            CREATE TABLE IF NOT EXISTS orders_$i (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                customer_id bigint NOT NULL,
                note text DEFAULT 'none', -- free text; 'quoted; semicolons' stay in strings
                body jsonb
            );
            CREATE INDEX IF NOT EXISTS ix_orders_${i}_customer ON orders_$i (customer_id);
            ALTER TABLE orders_$i ADD COLUMN IF NOT EXISTS status text DEFAULT 'new';
            COMMENT ON TABLE orders_$i IS \$doc\$ Orders; see migration $i \$doc\$;
            """,
            ct);
        await db.ExecuteAsync("UPDATE orders_$i SET status = @status WHERE status IS NULL", new { status = "new" }, ct);
    }

    public override Task Down(PostgresContext db, CancellationToken ct) => db.ExecuteAsync("DROP TABLE IF EXISTS orders_$i", ct);

    public override async Task Validate(PostgresContext db, CancellationToken ct) =>
        Require(await db.ScalarAsync<long>("SELECT count(*) FROM orders_$i WHERE status IS NULL", ct) == 0, "every order has a status");
}
CS
done

load_before=$(cut -d' ' -f1 /proc/loadavg)
echo "Restoring and checking that the project builds clean in both modes..." >&2
dotnet restore "$project" -nologo -v:quiet >&2
for mode in baseline full; do
  case $mode in
    baseline) props="-p:StepwiseExtensions=false" ;;
    full) props="-p:StepwiseExtensions=true" ;;
  esac
  # The full build must be clean: the benchmark measures a project a team would ship.
  dotnet build "$project" --no-restore --no-incremental -nologo -v:quiet -warnaserror -nodeReuse:false -p:UseSharedCompilation=false $props >&2
done

declare -A times cpu
for ((run = 1; run <= runs; run++)); do
  for mode in baseline full; do
    case $mode in
      baseline) props="-p:StepwiseExtensions=false" ;;
        full) props="-p:StepwiseExtensions=true" ;;
    esac
    /usr/bin/time -f "%e %U %S" -o "$work/time" \
      dotnet build "$project" --no-restore --no-incremental -nologo -v:quiet -nodeReuse:false -p:UseSharedCompilation=false $props >/dev/null
    read -r wall user system < "$work/time"
    ms=$(awk -v w="$wall" 'BEGIN{printf "%d", w*1000}')
    cpu_ms=$(awk -v u="$user" -v s="$system" 'BEGIN{printf "%d", (u+s)*1000}')
    times[$mode]="${times[$mode]:-} $ms"
    cpu[$mode]="${cpu[$mode]:-} $cpu_ms"
    echo "run $run $mode wall ${ms} ms, cpu ${cpu_ms} ms" >&2
  done
done

median() { tr ' ' '\n' <<<"$1" | grep -v '^$' | sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2)}'; }
percent() { awk -v x="$1" -v y="$2" 'BEGIN{printf "%+.1f %%", (x/y-1)*100}'; }
ratio() { awk -v x="$1" -v y="$2" 'BEGIN{printf "%.3f", x/y}'; }
b=$(median "${times[baseline]}"); f=$(median "${times[full]}")
cb=$(median "${cpu[baseline]}"); cf=$(median "${cpu[full]}")
echo "migrations: $count, runs per mode: $runs, cores: $(nproc), load before: $load_before"
echo "mode       wall (median)     cpu (median)"
echo "baseline   $b ms             $cb ms"
echo "full       $f ms ($(percent "$f" "$b"))   $cf ms ($(percent "$cf" "$cb"))"
echo "ratio full/baseline: wall $(ratio "$f" "$b"), cpu $(ratio "$cf" "$cb")"
