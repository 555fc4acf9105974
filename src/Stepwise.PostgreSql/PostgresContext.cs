using System.Data;
using System.Diagnostics.CodeAnalysis;
using Dapper;
using Npgsql;
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

    internal PostgresContext(NpgsqlConnection connection, NpgsqlTransaction? transaction, string project, string? environment,
        MigrationDirection direction, string version)
    {
        _version = version;
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
    public Task<int> ExecuteAsync(string sql, CancellationToken ct) => Connection.RunAsync(sql, Transaction, ct);

    /// <summary>Executes parameterized SQL and returns the number of rows affected.</summary>
    /// <param name="sql">The SQL; parameters are written <c>@name</c>.</param>
    /// <param name="param">An object whose properties are the parameters, e.g. <c>new { status = "pending" }</c>.</param>
    /// <param name="ct">Cancels the statement.</param>
    [RequiresDynamicCode(DynamicParameters)]
    [RequiresUnreferencedCode(DynamicParameters)]
    public Task<int> ExecuteAsync(string sql, object? param, CancellationToken ct) =>
        Connection.ExecuteAsync(Command(sql, param, ct));

    /// <summary>Runs a query and maps each row to <typeparamref name="T"/>.</summary>
    [RequiresDynamicCode(DynamicRows)]
    [RequiresUnreferencedCode(DynamicRows)]
    public async Task<IReadOnlyList<T>> QueryAsync<T>(string sql, object? param, CancellationToken ct) =>
        (await Connection.QueryAsync<T>(Command(sql, param, ct)).ConfigureAwait(false)).AsList();

    /// <summary>Runs a query without parameters and maps each row to <typeparamref name="T"/>.</summary>
    [RequiresDynamicCode(DynamicRows)]
    [RequiresUnreferencedCode(DynamicRows)]
    public Task<IReadOnlyList<T>> QueryAsync<T>(string sql, CancellationToken ct) => QueryAsync<T>(sql, null, ct);

    /// <summary>Runs a query and returns the first column of the first row (default when there is no row).</summary>
    [RequiresDynamicCode(DynamicParameters)]
    [RequiresUnreferencedCode(DynamicParameters)]
    public Task<T?> ScalarAsync<T>(string sql, object? param, CancellationToken ct) =>
        Connection.ExecuteScalarAsync<T>(Command(sql, param, ct));

    /// <summary>Runs a query without parameters and returns the first column of the first row.</summary>
    public Task<T?> ScalarAsync<T>(string sql, CancellationToken ct) => Connection.ScalarAsync<T>(sql, Transaction, ct);

    /// <summary>Whether a table (or view) exists. <paramref name="table"/> may be schema-qualified; otherwise the search path decides.</summary>
    public async Task<bool> TableExistsAsync(string table, CancellationToken ct) =>
        await CheckAsync("SELECT to_regclass(@table) IS NOT NULL", ct, ("table", QuoteQualified(table))).ConfigureAwait(false);

    /// <summary>Whether a table has a column of that name.</summary>
    public async Task<bool> ColumnExistsAsync(string table, string column, CancellationToken ct) =>
        await CheckAsync(
            """
            SELECT EXISTS (
                SELECT 1 FROM pg_attribute
                WHERE attrelid = to_regclass(@table) AND attname = @column AND attnum > 0 AND NOT attisdropped)
            """,
            ct, ("table", QuoteQualified(table)), ("column", column)).ConfigureAwait(false);

    /// <summary>Whether an index exists (and is valid: a failed <c>CREATE INDEX CONCURRENTLY</c> leaves an invalid one).</summary>
    public async Task<bool> IndexExistsAsync(string index, CancellationToken ct) =>
        await CheckAsync("SELECT EXISTS (SELECT 1 FROM pg_index WHERE indexrelid = to_regclass(@index) AND indisvalid)", ct,
            ("index", QuoteQualified(index))).ConfigureAwait(false);

    /// <summary>Whether a table has a constraint of that name (primary key, foreign key, unique, check, exclusion).</summary>
    public async Task<bool> ConstraintExistsAsync(string table, string constraint, CancellationToken ct) =>
        await CheckAsync("SELECT EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = to_regclass(@table) AND conname = @constraint)", ct,
            ("table", QuoteQualified(table)), ("constraint", constraint)).ConfigureAwait(false);

    /// <summary>Whether a schema exists.</summary>
    public async Task<bool> SchemaExistsAsync(string schema, CancellationToken ct) =>
        await CheckAsync("SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = @schema)", ct, ("schema", schema)).ConfigureAwait(false);

    /// <summary>Fails the check unless the table (or view) exists.</summary>
    /// <remarks>
    /// The <c>Require…Async</c> helpers let a check be written without <c>async</c>
    /// (<c>PreCheck(...) => db.RequireNoTableAsync("orders", ct)</c>): no state machine per migration to compile at run
    /// time, which is most of what a runner with hundreds of migrations spends.
    /// </remarks>
    public Task RequireTableAsync(string table, CancellationToken ct) => RequireAsync(TableExistsAsync(table, ct), true, $"table {table} exists");

    /// <summary>Fails the check if the table (or view) exists.</summary>
    public Task RequireNoTableAsync(string table, CancellationToken ct) => RequireAsync(TableExistsAsync(table, ct), false, $"table {table} does not exist yet");

    /// <summary>Fails the check unless the table has the column.</summary>
    public Task RequireColumnAsync(string table, string column, CancellationToken ct) =>
        RequireAsync(ColumnExistsAsync(table, column, ct), true, $"column {table}.{column} exists");

    /// <summary>Fails the check if the table has the column.</summary>
    public Task RequireNoColumnAsync(string table, string column, CancellationToken ct) =>
        RequireAsync(ColumnExistsAsync(table, column, ct), false, $"column {table}.{column} does not exist yet");

    /// <summary>Fails the check unless the index exists and is valid.</summary>
    public Task RequireIndexAsync(string index, CancellationToken ct) => RequireAsync(IndexExistsAsync(index, ct), true, $"index {index} exists and is valid");

    /// <summary>Fails the check if a valid index of that name exists.</summary>
    public Task RequireNoIndexAsync(string index, CancellationToken ct) => RequireAsync(IndexExistsAsync(index, ct), false, $"index {index} does not exist yet");

    /// <summary>Fails the check unless the table has the constraint.</summary>
    public Task RequireConstraintAsync(string table, string constraint, CancellationToken ct) =>
        RequireAsync(ConstraintExistsAsync(table, constraint, ct), true, $"constraint {constraint} exists on {table}");

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
        var found = await Connection.ScalarAsync<string[]>(
            """
            SELECT ARRAY[backup_schema, backup_table] FROM stepwise.backup
            WHERE project = @project AND version = @version AND (declared = @table OR source = @table OR source = 'public.' || @table)
            """,
            Transaction, ct, ("project", Project), ("version", _version), ("table", table)).ConfigureAwait(false);
        return found is [var schema, var name] ? SqlIdentifier.Quote(schema, name) : null;
    }

    private static async Task RequireAsync(Task<bool> check, bool expected, string expectation)
    {
        if (await check.ConfigureAwait(false) != expected)
        {
            throw new MigrationCheckException(expectation);
        }
    }

    // The helpers' own checks run on Npgsql directly: no parameter object to reflect over, so they work under Native AOT too.
    private async Task<bool> CheckAsync(string sql, CancellationToken ct, params (string Name, object? Value)[] parameters) =>
        await Connection.ScalarAsync<bool>(sql, Transaction, ct, parameters).ConfigureAwait(false);

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
