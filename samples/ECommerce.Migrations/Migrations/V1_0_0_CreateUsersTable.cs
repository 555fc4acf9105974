using Stepwise;
using Stepwise.PostgreSql;

namespace ECommerce.Migrations.Migrations;

[Migration("1.0.0", 1, Description = "Create the users table")]
public sealed class CreateUsersTable : PostgresMigration
{
    public override Task PreCheck(PostgresContext db, CancellationToken ct) => db.RequireNoTableAsync("users", ct);

    public override Task Up(PostgresContext db, CancellationToken ct) => db.ExecuteAsync(
        """
        CREATE TABLE IF NOT EXISTS users (
            id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
            email       text NOT NULL,
            username    text NOT NULL,
            created_at  timestamptz NOT NULL DEFAULT now(),
            CONSTRAINT users_email_key UNIQUE (email)
        )
        """, ct);

    public override Task Down(PostgresContext db, CancellationToken ct) => db.ExecuteAsync("DROP TABLE IF EXISTS users", ct);

    public override async Task Validate(PostgresContext db, CancellationToken ct)
    {
        await db.RequireColumnAsync("users", "email", ct);
        await db.RequireConstraintAsync("users", "users_email_key", ct); // emails are unique
    }
}
