using System.Data;
using System.Diagnostics.CodeAnalysis;
using Dapper;
using Npgsql;
using Stepwise.Execution;
using Stepwise.PostgreSql.Internal;

namespace Stepwise.PostgreSql;

/// <summary>
/// What a PostgreSQL migration works with: the connection, the step's transaction (none for
/// <see cref="NonTransactionalAttribute">non-transactional</see> migrations), and Dapper-based helpers that enlist in it.
/// </summary>
/// <remarks>
/// <para>
/// Pass values as parameters (<c>new { id }</c>), never by formatting them into SQL. Statements have no command
/// timeout unless the runner was given one (<c>--command-timeout</c>): a migration on a large table may legitimately
/// run for a long time.
/// </para>
/// <para>
/// In a Native AOT runner image, SQL without parameters, scalars and the <c>…Exists</c>/<c>Require…</c> helpers work
/// as they are; a parameter object or rows mapped to a type need code generated at run time, so those overloads
/// carry <see cref="RequiresDynamicCodeAttribute"/> and the AOT build names each call. Use <see cref="Connection"/>
/// and <see cref="Transaction"/> with <see cref="NpgsqlParameter{T}"/> there instead.
/// </para>
/// </remarks>
public sealed class PostgresContext : IMigrationContext
{
    private readonly string _version;
    private readonly SentCommands? _sent;
    private DeferredChecks? _deferred;

    internal PostgresContext(NpgsqlConnection connection, NpgsqlTransaction? transaction, string project, string? environment,
        MigrationDirection direction, string version, SentCommands? sent = null)
    {
        _version = version;
        _sent = sent;
        Connection = connection;
        Transaction = transaction;
        Project = project;
        Environment = environment;
        Direction = direction;
    }

    /// <summary>The open connection the step runs on.</summary>
    public NpgsqlConnection Connection { get; }

    /// <summary>The step's transaction, or <c>null</c> for a non-transactional migration.</summary>
    public NpgsqlTransaction? Transaction { get; }

    /// <inheritdoc />
    public string Project { get; }

    /// <inheritdoc />
    public string? Environment { get; }

    /// <inheritdoc />
    public MigrationDirection Direction { get; }

    /// <summary>Executes SQL (one or several statements) and returns the number of rows affected.</summary>
    public Task<int> ExecuteAsync(string sql, CancellationToken ct)
    {
        _sent?.Add(sql);
        return MigrationStatements.RunAsync(Connection, sql, Transaction, HasDeferredChecks ? _deferred!.Take() : null, ct);
    }

    /// <summary>Executes parameterized SQL and returns the number of rows affected.</summary>
    /// <param name="sql">The SQL; parameters are written <c>@name</c>.</param>
    /// <param name="param">An object whose properties are the parameters, e.g. <c>new { status = "pending" }</c>.</param>
    /// <param name="ct">Cancels the statement.</param>
    [RequiresDynamicCode(DynamicParameters)]
    [RequiresUnreferencedCode(DynamicParameters)]
    public Task<int> ExecuteAsync(string sql, object? param, CancellationToken ct)
    {
        _sent?.Add(sql);
        return HasDeferredChecks ? AfterDeferredChecksAsync(() => Named(Connection.ExecuteAsync(Command(sql, param, ct)), sql), ct) : Named(Connection.ExecuteAsync(Command(sql, param, ct)), sql);
    }

    /// <summary>Runs a query and maps each row to <typeparamref name="T"/>.</summary>
    [RequiresDynamicCode(DynamicRows)]
    [RequiresUnreferencedCode(DynamicRows)]
    public async Task<IReadOnlyList<T>> QueryAsync<T>(string sql, object? param, CancellationToken ct)
    {
        await SendDeferredChecksAsync(ct).ConfigureAwait(false);
        return (await Named(Connection.QueryAsync<T>(Command(sql, param, ct)), sql).ConfigureAwait(false)).AsList();
    }

    /// <summary>Runs a query without parameters and maps each row to <typeparamref name="T"/>.</summary>
    [RequiresDynamicCode(DynamicRows)]
    [RequiresUnreferencedCode(DynamicRows)]
    public Task<IReadOnlyList<T>> QueryAsync<T>(string sql, CancellationToken ct) => QueryAsync<T>(sql, null, ct);

    /// <summary>Runs a query and returns the first column of the first row (default when there is no row).</summary>
    [RequiresDynamicCode(DynamicParameters)]
    [RequiresUnreferencedCode(DynamicParameters)]
    public Task<T?> ScalarAsync<T>(string sql, object? param, CancellationToken ct) =>
        HasDeferredChecks ? AfterDeferredChecksAsync(() => Named(Connection.ExecuteScalarAsync<T>(Command(sql, param, ct)), sql), ct) : Named(Connection.ExecuteScalarAsync<T>(Command(sql, param, ct)), sql);

    /// <summary>Runs a query without parameters and returns the first column of the first row.</summary>
    public Task<T?> ScalarAsync<T>(string sql, CancellationToken ct) =>
        HasDeferredChecks ? AfterDeferredChecksAsync(() => NamedAsIs(Connection.ScalarAsync<T>(sql, Transaction, ct), sql), ct) : NamedAsIs(Connection.ScalarAsync<T>(sql, Transaction, ct), sql);

    /// <summary>Whether a table (or view) exists. <paramref name="table"/> may be schema-qualified; otherwise the search path decides.</summary>
    public Task<bool> TableExistsAsync(string table, CancellationToken ct) => ExistsAsync(TableCheck(table), ct);

    /// <summary>Whether a table has a column of that name.</summary>
    public Task<bool> ColumnExistsAsync(string table, string column, CancellationToken ct) => ExistsAsync(ColumnCheck(table, column), ct);

    /// <summary>Whether an index exists (and is valid: a failed <c>CREATE INDEX CONCURRENTLY</c> leaves an invalid one).</summary>
    public Task<bool> IndexExistsAsync(string index, CancellationToken ct) => ExistsAsync(IndexCheck(index), ct);

    /// <summary>Whether a table has a constraint of that name (primary key, foreign key, unique, check, exclusion).</summary>
    public Task<bool> ConstraintExistsAsync(string table, string constraint, CancellationToken ct) => ExistsAsync(ConstraintCheck(table, constraint), ct);

    /// <summary>Whether a schema exists.</summary>
    public Task<bool> SchemaExistsAsync(string schema, CancellationToken ct) =>
        ExistsAsync(new Check("EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = @schema)", [("schema", schema)]), ct);

    /// <summary>Fails the check unless the table (or view) exists.</summary>
    /// <remarks>
    /// <para>
    /// The <c>Require…Async</c> helpers let a check be written without <c>async</c>
    /// (<c>PreCheck(...) => db.RequireNoTableAsync("orders", ct)</c>): no state machine per migration to compile at run
    /// time, which is most of what a runner with hundreds of migrations spends.
    /// </para>
    /// <para>
    /// In a transactional step's closing checks (<c>Validate</c>, or <c>PreCheck</c> after <c>Down</c>) they are verified
    /// with the step's commit, or before the phase's next statement, instead of one round trip each: code after one of
    /// them runs before it is verified, and a check that fails still fails the phase and commits nothing. So are those
    /// of a <c>PreCheck</c> before an <c>Up</c> that only sends one statement of fixed text
    /// (<c>Up(...) => db.ExecuteAsync(sql, ct)</c>): they go with that statement, and the server runs it only when they
    /// hold.
    /// </para>
    /// </remarks>
    public Task RequireTableAsync(string table, CancellationToken ct) =>
        RequireAsync(TableCheck(table), true, $"table {table} exists", "it does not", ct);

    /// <summary>Fails the check if the table (or view) exists.</summary>
    public Task RequireNoTableAsync(string table, CancellationToken ct) =>
        RequireAsync(TableCheck(table), false, $"table {table} does not exist yet", "it exists", ct);

    /// <summary>Fails the check unless the table has the column.</summary>
    public Task RequireColumnAsync(string table, string column, CancellationToken ct) =>
        RequireAsync(ColumnCheck(table, column), true, $"column {table}.{column} exists", "it does not", ct);

    /// <summary>Fails the check if the table has the column.</summary>
    public Task RequireNoColumnAsync(string table, string column, CancellationToken ct) =>
        RequireAsync(ColumnCheck(table, column), false, $"column {table}.{column} does not exist yet", "it exists", ct);

    /// <summary>Fails the check unless the index exists and is valid.</summary>
    public Task RequireIndexAsync(string index, CancellationToken ct) =>
        RequireAsync(IndexCheck(index), true, $"index {index} exists and is valid", "no valid index of that name", ct);

    /// <summary>Fails the check if a valid index of that name exists.</summary>
    public Task RequireNoIndexAsync(string index, CancellationToken ct) =>
        RequireAsync(IndexCheck(index), false, $"index {index} does not exist yet", "it exists", ct);

    /// <summary>Fails the check unless the table has the constraint.</summary>
    public Task RequireConstraintAsync(string table, string constraint, CancellationToken ct) =>
        RequireAsync(ConstraintCheck(table, constraint), true, $"constraint {constraint} exists on {table}", "it does not", ct);

    /// <summary>The number of rows in a table (an exact count: meant for checks on small or seeded tables).</summary>
    public async Task<long> RowCountAsync(string table, CancellationToken ct) =>
        await ScalarAsync<long>($"SELECT count(*) FROM {QuoteQualified(table)}", ct).ConfigureAwait(false);

    /// <summary>
    /// The backup copy of <paramref name="table"/> taken before this migration's version changed it (policy
    /// <c>backup_before_upgrade</c> and <see cref="ChangesAttribute"/>), as an identifier to place in SQL; <c>null</c> when
    /// there is none. Meant for <c>Down</c>, to restore data <c>Up</c> destroyed.
    /// </summary>
    public async Task<SqlIdentifier?> BackupOfAsync(string table, CancellationToken ct)
    {
        await SendDeferredChecksAsync(ct).ConfigureAwait(false);
        var found = await Connection.ScalarAsync<string[]>(
            """
            SELECT ARRAY[backup_schema, backup_table] FROM stepwise.backup
            WHERE project = @project AND version = @version AND (declared = @table OR source = @table OR source = 'public.' || @table)
            """,
            Transaction, ct, ("project", Project), ("version", _version), ("table", table)).ConfigureAwait(false);
        return found is [var schema, var name] ? SqlIdentifier.Quote(schema, name) : null;
    }

    // A helper's check as a boolean SQL expression over @name parameters: run as a query by the …Exists helpers, or
    // held back by a Require… check and sent with the next statement or the commit.
    private readonly record struct Check(string Expression, (string Name, object? Value)[] Parameters);

    private static Check TableCheck(string table) => new("to_regclass(@table) IS NOT NULL", [("table", QuoteQualified(table))]);

    private static Check ColumnCheck(string table, string column) => new(
        "EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = to_regclass(@table) AND attname = @column AND attnum > 0 AND NOT attisdropped)",
        [("table", QuoteQualified(table)), ("column", column)]);

    private static Check IndexCheck(string index) =>
        new("EXISTS (SELECT 1 FROM pg_index WHERE indexrelid = to_regclass(@index) AND indisvalid)", [("index", QuoteQualified(index))]);

    private static Check ConstraintCheck(string table, string constraint) => new(
        "EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = to_regclass(@table) AND conname = @constraint)",
        [("table", QuoteQualified(table)), ("constraint", constraint)]);

    // The helpers' own checks run on Npgsql directly: no parameter object to reflect over, so they work under Native AOT too.
    private async Task<bool> ExistsAsync(Check check, CancellationToken ct)
    {
        await SendDeferredChecksAsync(ct).ConfigureAwait(false);
        return await Connection.ScalarAsync<bool>("SELECT " + check.Expression, Transaction, ct, check.Parameters).ConfigureAwait(false);
    }

    private Task RequireAsync(Check check, bool expected, string expectation, string found, CancellationToken ct)
    {
        if (_deferred is not null)
        {
            _deferred.Add(check.Expression, check.Parameters, expected, expectation, found);
            return Task.CompletedTask;
        }

        return RequireNowAsync(check, expected, expectation, found, ct);
    }

    private async Task RequireNowAsync(Check check, bool expected, string expectation, string found, CancellationToken ct)
    {
        if (await ExistsAsync(check, ct).ConfigureAwait(false) != expected)
        {
            throw new MigrationCheckException(expectation, found);
        }
    }

    /// <summary>From now on, <c>Require…</c> checks wait for the context's next statement or the step's commit.</summary>
    /// <summary>The context of a step on the given connection, inside its transaction when it has one.</summary>
    internal static PostgresContext For(NpgsqlConnection connection, NpgsqlTransaction? transaction, StepStart step) =>
        new(connection, transaction, step.Run.Project, step.Run.Environment, step.Direction, step.Migration.Version.ToString(), step.Commands);

    internal void DeferChecks() => _deferred ??= new DeferredChecks();

    /// <summary>The checks held back and not sent yet, if any: the commit sends them.</summary>
    internal DeferredChecks? DeferredChecks => _deferred;

    private bool HasDeferredChecks => _deferred is { IsEmpty: false };

    // A statement after held-back checks sends them first: what it reads or changes comes after them, as it would have.
    private async Task<T> AfterDeferredChecksAsync<T>(Func<Task<T>> statement, CancellationToken ct)
    {
        await SendDeferredChecksAsync(ct).ConfigureAwait(false);
        return await statement().ConfigureAwait(false);
    }

    // Held checks go in one command with the statement that follows them: the server runs the checks first, and a failing
    // one stops the command before the statement runs. Checks are queries, so the count of changed rows is the statement's own.
    private Task SendDeferredChecksAsync(CancellationToken ct) =>
        HasDeferredChecks ? MigrationStatements.RunAsync(Connection, string.Empty, Transaction, _deferred!.Take(), ct) : Task.CompletedTask;

    // A statement the server refuses is named on its error; sent through Dapper, its parameters were renamed.
    private Task<T> Named<T>(Task<T> running, string sql) => MigrationStatements.NamedOnFailureAsync(running, sql, Connection, positionHolds: false);

    private Task<T> NamedAsIs<T>(Task<T> running, string sql) => MigrationStatements.NamedOnFailureAsync(running, sql, Connection, positionHolds: true);

    private const string DynamicParameters =
        "Dapper reads the parameter object by reflection and compiles code for it at run time. Under Native AOT, use Connection and Transaction with NpgsqlParameter.";

    private const string DynamicRows =
        "Dapper maps rows to T with code compiled at run time. Under Native AOT, read rows from Connection and Transaction with NpgsqlDataReader.";

    private CommandDefinition Command(string sql, object? param, CancellationToken ct) =>
        new(sql, param, Transaction, commandTimeout: null, CommandType.Text, CommandFlags.Buffered, ct);

    // Names are passed as identifiers, not as SQL: quoting each part keeps "Orders" and odd names exact and
    // makes injection through a helper argument impossible.
    private static string QuoteQualified(string name) => SqlIdentifier.Quote(name).ToString();
}
