#!/usr/bin/env bash
# Measures what the Stepwise analyzers and checksum generator add to a migrations project's build.
#
# Generates a project of N migrations (default 500) with realistic SQL, then rebuilds it (--no-incremental, so the
# compiler always runs) in three modes, interleaved so that machine noise hits every mode alike:
#   baseline    the project without the Stepwise compiler extensions
#   generator   Stepwise.Analyzers.dll with RunAnalyzers=false (only the checksum generator runs)
#   full        Stepwise.Analyzers.dll with everything on, as a service team builds
# Prints the median wall time of each mode and the overhead of `full` over `baseline`.
#
# Usage: analyzer-build-benchmark.sh [migrations=500] [runs=7]
set -euo pipefail

count=${1:-500}
runs=${2:-7}
repo=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
[[ -n "${KEEP_BENCH:-}" ]] && echo "project kept in $work" >&2
[[ -z "${KEEP_BENCH:-}" ]] && trap 'dotnet build-server shutdown >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
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

echo "Restoring and warming up the compiler server..." >&2
dotnet restore "$project" -nologo -v:quiet >&2
for mode in baseline generator full; do
  case $mode in
    baseline) props="-p:StepwiseExtensions=false" ;;
    generator) props="-p:StepwiseExtensions=true -p:RunAnalyzers=false" ;;
    full) props="-p:StepwiseExtensions=true" ;;
  esac
  # The full build must be clean: the benchmark measures a project a team would ship.
  dotnet build "$project" --no-restore --no-incremental -nologo -v:quiet -warnaserror $props >&2
done

declare -A times
for ((run = 1; run <= runs; run++)); do
  for mode in baseline generator full; do
    case $mode in
      baseline) props="-p:StepwiseExtensions=false" ;;
      generator) props="-p:StepwiseExtensions=true -p:RunAnalyzers=false" ;;
      full) props="-p:StepwiseExtensions=true" ;;
    esac
    start=$(date +%s%N)
    dotnet build "$project" --no-restore --no-incremental -nologo -v:quiet $props >/dev/null
    end=$(date +%s%N)
    ms=$(((end - start) / 1000000))
    times[$mode]="${times[$mode]:-} $ms"
    echo "run $run $mode ${ms} ms" >&2
  done
done

median() { tr ' ' '\n' <<<"$1" | grep -v '^$' | sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2)}'; }
b=$(median "${times[baseline]}"); g=$(median "${times[generator]}"); f=$(median "${times[full]}")
echo "migrations: $count, runs per mode: $runs"
echo "median baseline:  $b ms"
echo "median generator: $g ms (+$(awk -v x="$g" -v y="$b" 'BEGIN{printf "%.1f", (x/y-1)*100}') %)"
echo "median full:      $f ms (+$(awk -v x="$f" -v y="$b" 'BEGIN{printf "%.1f", (x/y-1)*100}') %)"
echo "ratio full/baseline: $(awk -v x="$f" -v y="$b" 'BEGIN{printf "%.3f", x/y}')"
