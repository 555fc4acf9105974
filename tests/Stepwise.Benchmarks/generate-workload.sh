#!/usr/bin/env bash
# Writes the benchmark workload for N migrations into DIR, one equivalent form per tool:
#   DIR/all.sql                 every migration in order, for psql and the plain-Npgsql floor
#   DIR/sql/S00001.sql ...      one script per migration, embedded by DbUp
#   DIR/evolve/V1__t_1.sql ...  one versioned file per migration, read by Evolve
#   DIR/fluentmigrator/*.cs     one FluentMigrator migration class per migration (Execute.Sql)
#   DIR/stepwise/*.cs           one Stepwise migration class per migration (PreCheck, Up, Down, Validate)
# Migration i creates table t_i, inserts 20 rows and indexes name.
#
# Stepwise versions: ten migrations per version (1.0.0 holds 1-10, 1.1.0 holds 11-20, ...), like a service that
# ships a handful of migrations per release. This keeps the planner's walk over versions in the measurement without
# the degenerate one-release-per-migration shape; the scale benchmark covers that one separately.
set -euo pipefail

if [ $# -ne 2 ] || ! [[ "$2" =~ ^[1-9][0-9]*$ ]]; then
  echo "usage: $0 DIR N" >&2
  exit 2
fi
dir="$1"
n="$2"

rm -rf "$dir"
mkdir -p "$dir/sql" "$dir/evolve" "$dir/fluentmigrator" "$dir/stepwise"

# Sets $sql and $indented (the same, indented for a raw string literal) without a subshell, so that generating
# 10,000 migrations stays quick.
up_sql() {
  sql="CREATE TABLE t_$1 (id bigserial primary key, name text not null, qty int not null default 0, created_at timestamptz not null default now());
INSERT INTO t_$1 (name, qty) SELECT 'item ' || g, g FROM generate_series(1, 20) AS g;
CREATE INDEX ix_t_$1_name ON t_$1 (name);"
  indented="        ${sql//$'\n'/$'\n        '}"
}

exec 3> "$dir/all.sql"
for ((i = 1; i <= n; i++)); do
  printf -v id '%05d' "$i"
  up_sql "$i"
  printf '%s\n' "$sql" >&3
  printf '%s\n' "$sql" > "$dir/sql/S$id.sql"
  printf '%s\n' "$sql" > "$dir/evolve/V${i}__t_$i.sql"

  cat > "$dir/fluentmigrator/M$id.cs" <<CS
using FluentMigrator;

namespace BenchFm;

[Migration($i)]
public sealed class M$id : Migration
{
    public override void Up() => Execute.Sql(
        """
$indented
        """);

    public override void Down() => Execute.Sql("DROP TABLE IF EXISTS t_$i");
}
CS

  cat > "$dir/stepwise/CreateT$id.cs" <<CS
using Stepwise;
using Stepwise.PostgreSql;

namespace Stepwise.Bench.Migrations;

[Migration("1.$(( (i - 1) / 10 )).0", $(( (i - 1) % 10 + 1 )), Description = "Create t_$i")]
public sealed class CreateT$id : PostgresMigration
{
    public override Task PreCheck(PostgresContext db, CancellationToken ct) => db.RequireNoTableAsync("t_$i", ct);

    public override Task Up(PostgresContext db, CancellationToken ct) => db.ExecuteAsync(
        """
$indented
        """, ct);

    public override Task Down(PostgresContext db, CancellationToken ct) => db.ExecuteAsync("DROP TABLE IF EXISTS t_$i", ct);

    public override Task Validate(PostgresContext db, CancellationToken ct) => db.RequireTableAsync("t_$i", ct);
}
CS
done
exec 3>&-
