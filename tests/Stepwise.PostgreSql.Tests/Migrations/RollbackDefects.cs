using Stepwise;
using Stepwise.PostgreSql;

namespace Stepwise.PostgreSql.Tests.Migrations;

// Stand-ins for CreateTransfers (2.0.0/1) whose Down passes the runner's own check (PreCheck after Down) yet leaves the
// schema other than it was: what verify-rollback exists to find. Each is a mistake seen in real migration histories.

/// <summary>Creates transfers (and something else); Down drops transfers only. PreCheck checks transfers alone.</summary>
public abstract class CreateTransfersAnd : PostgresMigration
{
    /// <summary>What Up does besides creating transfers, after it.</summary>
    protected abstract string Also { get; }

    /// <summary>What Down does before dropping transfers.</summary>
    protected virtual string UndoFirst => "SELECT 1";

    public override async Task PreCheck(PostgresContext db, CancellationToken ct) =>
        Require(!await db.TableExistsAsync("transfers", ct), "table transfers does not exist yet");

    public override async Task Up(PostgresContext db, CancellationToken ct)
    {
        await db.ExecuteAsync("CREATE TABLE transfers (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, account_id bigint NOT NULL REFERENCES accounts (id))", ct);
        await db.ExecuteAsync(Also, ct);
    }

    public override async Task Down(PostgresContext db, CancellationToken ct)
    {
        await db.ExecuteAsync(UndoFirst, ct);
        await db.ExecuteAsync("DROP TABLE IF EXISTS transfers", ct);
    }

    public override async Task Validate(PostgresContext db, CancellationToken ct) =>
        Require(await db.TableExistsAsync("transfers", ct), "table transfers exists");
}

[Migration("2.0.0", 1, Description = "Create transfers and an index on accounts that Down forgets")]
public sealed class CreateTransfersForgettingAnIndex : CreateTransfersAnd
{
    protected override string Also => "CREATE INDEX accounts_name_idx ON accounts (name)";
}

[Migration("2.0.0", 1, Description = "Create transfers and a view; Down drops a column the view used, with CASCADE")]
public sealed class CreateTransfersDroppingAViewByCascade : CreateTransfersAnd
{
    protected override string Also => "ALTER TABLE accounts ADD COLUMN contact text; CREATE OR REPLACE VIEW account_contacts AS SELECT id, contact FROM accounts";

    // The column goes with CASCADE, which silently takes the view with it: the view of the release before is gone.
    protected override string UndoFirst => "ALTER TABLE accounts DROP COLUMN IF EXISTS contact CASCADE";
}

[Migration("2.0.0", 1, Description = "Create transfers and add an enum label that Down cannot remove")]
public sealed class CreateTransfersGrowingAnEnum : CreateTransfersAnd
{
    protected override string Also => "ALTER TYPE account_kind ADD VALUE IF NOT EXISTS 'archived'";
}

[Migration("2.0.0", 1, Description = "Create transfers and replace a function; Down restores another body")]
public sealed class CreateTransfersReplacingAFunction : CreateTransfersAnd
{
    protected override string Also => "CREATE OR REPLACE FUNCTION ledger_fee(amount numeric) RETURNS numeric LANGUAGE sql AS 'SELECT amount * 0.02'";

    protected override string UndoFirst => "CREATE OR REPLACE FUNCTION ledger_fee(amount numeric) RETURNS numeric LANGUAGE sql AS 'SELECT amount * 0.10'";
}

[Migration("2.0.0", 1, Description = "Create transfers and a trigger on accounts that Down forgets")]
public sealed class CreateTransfersForgettingATrigger : CreateTransfersAnd
{
    protected override string Also => "CREATE TRIGGER accounts_touch BEFORE UPDATE ON accounts FOR EACH ROW EXECUTE FUNCTION ledger_touch()";
}

[Migration("2.0.0", 1, Description = "Create transfers and default privileges that Down forgets")]
public sealed class CreateTransfersForgettingDefaultPrivileges : CreateTransfersAnd
{
    protected override string Also => "ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO PUBLIC";
}

[Migration("2.0.0", 1, Description = "Create transfers and give a sequence an owning column that Down leaves")]
public sealed class CreateTransfersOwningASequence : CreateTransfersAnd
{
    protected override string Also => "ALTER SEQUENCE ledger_numbers OWNED BY accounts.id";
}

[Migration("2.0.0", 1, Description = "Create transfers and tune accounts' storage, which Down forgets")]
public sealed class CreateTransfersTuningAccounts : CreateTransfersAnd
{
    protected override string Also => "ALTER TABLE accounts SET (fillfactor = 70)";
}

[Migration("2.0.0", 1, Description = "Create transfers and a sequence; Down drops both")]
public sealed class CreateTransfersAndASequenceCleanly : CreateTransfersAnd
{
    protected override string Also => "CREATE SEQUENCE transfer_numbers; ALTER SEQUENCE transfer_numbers OWNED BY transfers.id";

    protected override string UndoFirst => "DROP SEQUENCE IF EXISTS transfer_numbers";
}
