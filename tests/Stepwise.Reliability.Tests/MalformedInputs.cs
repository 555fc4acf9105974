namespace Stepwise.Reliability.Tests;

/// <summary>One malformed input: the arguments and environment, and what the runner must answer.</summary>
/// <param name="Name">What is wrong, for the test's name.</param>
/// <param name="Args">The arguments; <c>{conn}</c>, <c>{host}</c>, <c>{port}</c>, <c>{db}</c>, <c>{user}</c>, <c>{pw}</c> and <c>{dir}</c> are filled in.</param>
/// <param name="ExitCode">The documented exit code.</param>
/// <param name="Expected">Part of the error line (placeholders filled in too).</param>
/// <param name="Environment">Variables the runner sees (none else).</param>
/// <param name="GenericRunner">Run by the generic runner's process (for --assembly and --assembly-dir), not in-process.</param>
public sealed record MalformedInput(
    string Name, string[] Args, int ExitCode, string Expected, Dictionary<string, string>? Environment = null, bool GenericRunner = false)
{
    /// <inheritdoc />
    public override string ToString() => Name;
}

/// <summary>The corpus.</summary>
internal static class MalformedInputs
{
    private static readonly string Huge = new('9', 100_000);
    private const string Escape = "\u001b[2J\u001b]0;owned\u0007";

    /// <summary>Configuration files the corpus points --config at, by name, in the corpus folder.</summary>
    public static readonly Dictionary<string, string> ConfigFiles = new()
    {
        ["empty.yaml"] = "",
        ["list.yaml"] = "- apiVersion: v1\n- kind: ProjectConfig\n",
        ["unclosed.yaml"] = "apiVersion: v1\nmetadata: { name: drill\nkind: ProjectConfig\n",
        ["tabs.yaml"] = "apiVersion: v1\nkind: ProjectConfig\nmetadata:\n\tname: drill\n",
        ["unknown-key.yaml"] = "apiVersion: v1\nkind: ProjectConfig\nmetadata: { name: drill }\nspec: { migrations: {} }\n",
        ["api-v2.yaml"] = "apiVersion: v2\nkind: ProjectConfig\nmetadata: { name: drill }\nspec: {}\n",
        ["kind.yaml"] = "apiVersion: v1\nkind: Deployment\nmetadata: { name: drill }\nspec: {}\n",
        ["other-name.yaml"] = "apiVersion: v1\nkind: ProjectConfig\nmetadata: { name: billing }\nspec: {}\n",
        ["bad-version.yaml"] = "apiVersion: v1\nkind: ProjectConfig\nmetadata: { name: drill }\nspec:\n  compatibility_matrix:\n    vX: { upgrades_to: [], rollback_to: [] }\n",
        ["cycle.yaml"] =
            "apiVersion: v1\nkind: ProjectConfig\nmetadata: { name: drill }\nspec:\n  compatibility_matrix:\n" +
            "    v1.0.0: { upgrades_to: [v1.1.0], rollback_to: [] }\n    v1.1.0: { upgrades_to: [v1.0.0], rollback_to: [v1.0.0] }\n" +
            "    v1.2.0: { upgrades_to: [], rollback_to: [v1.1.0] }\n",
        ["db-type.yaml"] = "apiVersion: v1\nkind: ProjectConfig\nmetadata: { name: drill }\nspec:\n  databases:\n    primary: { type: oracle, name: x, schemas: [public] }\n",
        ["range.yaml"] = "apiVersion: v1\nkind: ProjectConfig\nmetadata: { name: drill }\nspec:\n  requires: { billing: \"about 1.2\" }\n",
        ["policy.yaml"] = "apiVersion: v1\nkind: ProjectConfig\nmetadata: { name: drill }\nspec:\n  migration:\n    policies: { dry_run_first: yes please }\n",
        ["escape.yaml"] = $"apiVersion: v1\nkind: ProjectConfig\nmetadata: {{ name: drill }}\nspec: {{ \"{Escape}\": 1 }}\n",
        ["password.yaml"] = "apiVersion: v1\nkind: ProjectConfig\nmetadata: { name: drill }\nspec: { \"Host=db;Password={pw}\": 1 }\n",
    };

    public static readonly IReadOnlyList<MalformedInput> All =
    [
        // The command line itself.
        new("mistyped option holding a connection string", ["--conection", "{conn}", "install"], 2, "Unrecognized command or argument '--conection'"),
        new("connection string without its option", ["{conn}", "install"], 2, "Unrecognized command or argument 'Host="),
        new("option without its value", ["install", "--connection"], 2, "Required argument missing for option: '--connection'"),
        new("version without its value", ["install", "--version"], 2, "Required argument missing for option: '--version'"),
        new("unknown command", ["instal", "--connection", "{conn}"], 2, "Unrecognized command or argument 'instal'"),
        new("no command at all", ["--connection", "{conn}"], 2, "Required command was not provided"),
        new("unknown output format", ["status", "--output", "xml", "--connection", "{conn}"], 2, "'xml'"),
        new("unknown log format", ["status", "--log-format", "yaml", "--connection", "{conn}"], 2, "'yaml'"),
        new("unknown log level", ["status", "--log-level", "loud", "--connection", "{conn}"], 2, "'loud'"),
        new("unknown database type", ["status", "--database-type", "oracle", "--connection", "{conn}"], 2, "'oracle'"),
        new("database type without an engine", ["install", "--database-type", "mongodb", "--connection", "{conn}"], 2, "This runner has no mongodb engine"),
        new("flag given a value", ["install", "--dry-run=maybe", "--connection", "{conn}"], 2, "maybe"),
        new("option of another command", ["install", "--all", "--connection", "{conn}"], 2, "Unrecognized command or argument '--all'"),
        new("option given twice", ["install", "--version", "1.0.0", "--version", "1.1.0", "--connection", "{conn}"], 2, "--version"),
        new("huge unknown argument", ["status", Huge, "--connection", "{conn}"], 2, "... (100000 characters)"),
        new("unknown argument with terminal escapes", ["status", "x" + Escape, "--connection", "{conn}"], 2, @"x\u001b[2J"),

        // Numbers and durations.
        new("history limit not a number", ["history", "--limit", "abc", "--connection", "{conn}"], 2, "--limit takes a whole number from 1 to 100000, not 'abc'"),
        new("history limit zero", ["history", "--limit", "0", "--connection", "{conn}"], 2, "not '0'"),
        new("history limit negative", ["history", "--limit", "-1", "--connection", "{conn}"], 2, "not '-1'"),
        new("history limit too large", ["history", "--limit", "99999999999", "--connection", "{conn}"], 2, "not '99999999999'"),
        new("history limit fractional", ["history", "--limit", "2.5", "--connection", "{conn}"], 2, "not '2.5'"),
        new("lock timeout a word", ["install", "--lock-timeout", "soon", "--connection", "{conn}"], 2, "--lock-timeout: 'soon' is not a duration"),
        new("lock timeout negative", ["install", "--lock-timeout", "-5", "--connection", "{conn}"], 2, "--lock-timeout: '-5' is not a duration"),
        new("lock timeout 1e300", ["install", "--lock-timeout", "1e300", "--connection", "{conn}"], 2, "--lock-timeout: '1e300' is too long"),
        new("lock timeout 14 digits", ["install", "--lock-timeout", "99999999999999", "--connection", "{conn}"], 2, "is too long"),
        new("lock timeout NaN", ["install", "--lock-timeout", "NaN", "--connection", "{conn}"], 2, "'NaN' is not a duration"),
        new("lock timeout Infinity", ["install", "--lock-timeout", "Infinity", "--connection", "{conn}"], 2, "'Infinity' is not a duration"),
        new("lock timeout empty", ["install", "--lock-timeout", "", "--connection", "{conn}"], 2, "'' is not a duration"),
        new("lock timeout unknown unit", ["install", "--lock-timeout", "5x", "--connection", "{conn}"], 2, "'5x' is not a duration"),
        new("lock timeout of 25 days", ["install", "--lock-timeout", "25d", "--connection", "{conn}"], 2, "'25d' is too long"),
        new("lock timeout clock out of range", ["install", "--lock-timeout", "00:99:99", "--connection", "{conn}"], 2, "'00:99:99' is not a duration"),
        new("command timeout 1e300", ["install", "--command-timeout", "1e300", "--connection", "{conn}"], 2, "--command-timeout: '1e300' is too long"),
        new("command timeout a word", ["install", "--command-timeout", "abc", "--connection", "{conn}"], 2, "--command-timeout: 'abc' is not a duration"),
        new("command timeout negative", ["install", "--command-timeout", "-1", "--connection", "{conn}"], 2, "'-1' is not a duration"),
        new("command timeout of 30 days", ["install", "--command-timeout", "30d", "--connection", "{conn}"], 2, "'30d' is too long"),

        // Projects and versions.
        new("project name with spaces", ["install", "--project", "Not A Name", "--connection", "{conn}"], 2, "'Not A Name' is not a project name"),
        new("empty project name", ["install", "--project", "", "--connection", "{conn}"], 2, "'' is not a project name"),
        new("project name with terminal escapes", ["install", "--project", "dr" + Escape, "--connection", "{conn}"], 2, @"'dr\u001b[2J\u001b]0;owned\u0007' is not a project name"),
        new("huge project name", ["install", "--project", Huge, "--connection", "{conn}"], 2, "... (100000 characters)"),
        new("unknown project", ["install", "--project", "billing", "--connection", "{conn}"], 2, "Unknown project 'billing'. This runner knows: drill."),
        new("version missing its patch", ["install", "--version", "1.0", "--connection", "{conn}"], 2, "--version: '1.0' is not a semantic version"),
        new("version a word", ["install", "--version", "latest", "--connection", "{conn}"], 2, "'latest' is not a semantic version"),
        new("version with build metadata", ["install", "--version", "1.0.0+build.7", "--connection", "{conn}"], 2, "has build metadata"),
        new("version just a v", ["install", "--version", "v", "--connection", "{conn}"], 2, "'v' is not a semantic version"),
        new("huge version", ["install", "--version", Huge, "--connection", "{conn}"], 2, "... (100000 characters)"),
        new("version with terminal escapes", ["install", "--version", "1.0.0" + Escape, "--connection", "{conn}"], 2, @"1.0.0\u001b[2J"),
        new("version the project does not have", ["upgrade", "--version", "9.9.9", "--connection", "{conn}"], 2, "Unknown version 9.9.9 for project drill"),
        new("from-version not a version", ["upgrade", "--from-version", "abc", "--connection", "{conn}"], 2, "--from-version: 'abc' is not a semantic version"),
        new("from-version that is not the database's", ["upgrade", "--from-version", "0.9.0", "--connection", "{conn}"], 10,
            "--from-version says drill is at 0.9.0, but the database is at 1.0.0"),
        new("rollback without a version and nothing unfinished", ["rollback", "--connection", "{conn}"], 2, "rollback needs --version"),
        new("rollback upwards", ["rollback", "--version", "1.2.0", "--connection", "{conn}"], 2, "rollback only moves down"),
        new("install over an installed version", ["install", "--version", "1.1.0", "--connection", "{conn}"], 10, "is already installed at 1.0.0"),
        new("backups drop with neither version nor all", ["backups", "drop", "--connection", "{conn}"], 2, "backups drop needs either --version"),
        new("backups drop with both version and all", ["backups", "drop", "--version", "1.0.0", "--all", "--connection", "{conn}"], 2, "backups drop needs either --version"),

        // Environments.
        new("environment with a space", ["status", "--environment", "prod uction", "--connection", "{conn}"], 2, "--environment: 'prod uction' is not an environment name"),
        new("environment with terminal escapes", ["status", "--environment", "prod" + Escape, "--connection", "{conn}"], 2, @"'prod\u001b[2J"),
        new("environment too long", ["status", "--environment", new string('e', 65), "--connection", "{conn}"], 2, "is not an environment name"),
        new("STEPWISE_ENVIRONMENT not a name", ["status", "--connection", "{conn}"], 2, "STEPWISE_ENVIRONMENT: 'two words' is not an environment name",
            new() { ["STEPWISE_ENVIRONMENT"] = "two words" }),

        // The environment's database variables.
        new("DB_HOST alone", ["status"], 2, "DB_HOST is set but DB_NAME and DB_USER are not", new() { ["DB_HOST"] = "{host}", ["DB_PASSWORD"] = "{pw}" }),
        new("DB_PORT a word", ["status"], 2, "DB_PORT must be a port number (1-65535), not 'abc'", Variables(port: "abc")),
        new("DB_PORT too large", ["status"], 2, "not '70000'", Variables(port: "70000")),
        new("DB_PORT negative", ["status"], 2, "not '-1'", Variables(port: "-1")),
        new("DB_PORT with a space", ["status"], 2, "not '5432 '", Variables(port: "5432 ")),
        new("DB_PASSWORD wrong", ["status"], 8, "refused the credentials of user '{user}'", Variables(password: "{pw}-wrong")),
        new("STEPWISE_CONNECTION malformed", ["status"], 2, "The connection string cannot be read from character",
            new() { ["STEPWISE_CONNECTION"] = "Host={host};Password={pw};Sneaky" }),
        new("STEPWISE_CONNECTION blank", ["status"], 2, "No database connection", new() { ["STEPWISE_CONNECTION"] = "   " }),
        new("no connection anywhere", ["status"], 2, "No database connection: pass --connection"),

        // Connection strings.
        new("connection string with a bare word after the password", ["status", "--connection", "Host={host};Password={pw};Sneaky;Database={db}"], 2,
            "The connection string has text without '=' after Password: a password that contains ';' must be in single quotes (a quote inside it doubled)."),
        new("connection string with a bare word", ["status", "--connection", "Host={host};Sneaky;Database={db};Password={pw}"], 2,
            "The connection string has 'Sneaky' without '=': write Keyword=value pairs"),
        new("connection string with an unknown keyword", ["status", "--connection", "Hots={host};Database={db};Password={pw}"], 2,
            "The connection string's keyword 'Hots' is not one Npgsql knows (did you mean Host?)."),
        new("connection string with a password's tail after an unquoted ';'", ["status", "--connection", "Host={host};Database={db};Password={pw};x{pw}=1"], 2,
            "The connection string has a keyword Npgsql does not know after Password: a password that contains ';' must be in single quotes"),
        new("connection string with an unclosed quote", ["status", "--connection", "Host={host};Database={db};Password='{pw}"], 2, "The connection string cannot be read from character "),
        new("connection string with a port that is a word", ["status", "--connection", "Host={host};Database={db};Port=abc;Password={pw}"], 2,
            "The connection string's Port 'abc' is not a valid value: a whole number from 1 to 65535."),
        new("connection string with a port out of range", ["status", "--connection", "Host={host};Database={db};Port=70000;Password={pw}"], 2,
            "The connection string's Port '70000' is not a valid value: a whole number from 1 to 65535."),
        new("connection string with an SSL mode that does not exist", ["status", "--connection", "Host={host};Database={db};SSL Mode=bogus;Password={pw}"], 2,
            "The connection string's SSL Mode 'bogus' is not a valid value: Disable, Allow, Prefer, Require, VerifyCA or VerifyFull."),
        new("connection string with a negative timeout", ["status", "--connection", "Host={host};Database={db};Timeout=-1;Password={pw}"], 2,
            "The connection string's Timeout '-1' is not a valid value: a whole number."),
        new("connection string without a host", ["status", "--connection", "Database={db};Password={pw}"], 2, "The connection names no host: set Host in --connection."),
        new("connection string without a database", ["status", "--connection", "Host={host};Password={pw}"], 2, "The connection names no database: set Database in --connection."),
        new("empty connection string", ["status", "--connection", ""], 2, "No database connection"),
        new("huge connection string", ["status", "--connection", "Host=127.0.0.1;Port=1;Timeout=3;Database=" + Huge + ";Password={pw}"], 8, "Cannot reach PostgreSQL at 127.0.0.1:1"),
        new("wrong password", ["status", "--connection", "Host={host};Port={port};Database={db};Username={user};Password={pw}-wrong"], 8,
            "refused the credentials of user '{user}'"),
        new("user that does not exist", ["status", "--connection", "Host={host};Port={port};Database={db};Username=nobody_here;Password={pw}"], 8,
            "refused the credentials of user 'nobody_here'"),
        new("port nothing listens on", ["status", "--connection", "Host=127.0.0.1;Port=1;Database={db};Username={user};Password={pw};Timeout=3"], 8,
            "Cannot reach PostgreSQL at 127.0.0.1:1"),
        new("database that does not exist", ["status", "--connection", "Host={host};Port={port};Database=no_such_db;Username={user};Password={pw}"], 8,
            "has no database named 'no_such_db'"),
        new("URI with a parameter libpq spells otherwise", ["status", "--connection", "postgresql://{user}:{pw}@{host}:{port}/{db}?sslmod=require"], 2,
            "The connection URI's parameter 'sslmod' is not one Stepwise reads: use sslmode, sslrootcert"),
        new("URI with a port that is a word", ["status", "--connection", "postgresql://{user}:{pw}@{host}:abc/{db}"], 2, "The connection URI cannot be read: expected postgresql://"),
        new("URI with an SSL mode that does not exist", ["status", "--connection", "postgresql://{user}:{pw}@{host}:{port}/{db}?sslmode=sometimes"], 2,
            "The connection URI's sslmode parameter: SSL Mode 'sometimes' is not a valid value"),
        new("URI without a database", ["status", "--connection", "postgresql://{user}:{pw}@{host}:{port}"], 2,
            "The connection names no database: set the URI's path (/database) in --connection."),
        new("URI with a wrong password", ["status", "--connection", "postgresql://{user}:{pw}%40wrong@{host}:{port}/{db}"], 8, "refused the credentials of user '{user}'"),

        // Configuration files.
        new("config file that does not exist", ["config", "check", "--config", "{dir}/nowhere.yaml"], 2, "--config {dir}/nowhere.yaml: no such file"),
        new("config that is a folder", ["config", "check", "--config", "{dir}"], 2, "no such file"),
        new("empty config file", ["config", "check", "--config", "{dir}/empty.yaml"], 2, "the file must be a YAML mapping"),
        new("config that is a list", ["config", "check", "--config", "{dir}/list.yaml"], 2, "the file must be a YAML mapping"),
        new("config with an unclosed flow mapping", ["config", "check", "--config", "{dir}/unclosed.yaml"], 2, "{dir}/unclosed.yaml:2:"),
        new("config indented with a tab", ["config", "check", "--config", "{dir}/tabs.yaml"], 2, "not valid YAML"),
        new("config with an unknown key", ["config", "check", "--config", "{dir}/unknown-key.yaml"], 2, "unknown key 'migrations' under spec"),
        new("config of another API version", ["config", "check", "--config", "{dir}/api-v2.yaml"], 2, "apiVersion must be 'v1'"),
        new("config of another kind", ["config", "check", "--config", "{dir}/kind.yaml"], 2, "kind must be 'ProjectConfig'"),
        new("config of another project", ["config", "check", "--config", "{dir}/other-name.yaml"], 2, "billing"),
        new("config with a version that is not one", ["config", "check", "--config", "{dir}/bad-version.yaml"], 2, "'vX' is not a semantic version"),
        new("config whose upgrades go down", ["config", "check", "--config", "{dir}/cycle.yaml"], 2, "an upgrade goes to a higher version"),
        new("config with an unknown database type", ["config", "check", "--config", "{dir}/db-type.yaml"], 2, "'oracle' is not a database type Stepwise knows"),
        new("config with a range that is not one", ["config", "check", "--config", "{dir}/range.yaml"], 2, "'about 1.2' is not a version range"),
        new("config with a policy that is not a boolean", ["config", "check", "--config", "{dir}/policy.yaml"], 2, "must be true or false"),
        new("config of binary garbage", ["config", "check", "--config", "{dir}/garbage.yaml"], 2, "The project configuration is invalid"),
        new("config with terminal escapes in a key", ["config", "check", "--config", "{dir}/escape.yaml"], 2, @"unknown key '\u001b[2J"),
        new("config quoting a password", ["config", "check", "--config", "{dir}/password.yaml"], 2, "unknown key 'Host=db;Password=***' under spec"),
        new("config given to a run", ["upgrade", "--config", "{dir}/cycle.yaml", "--connection", "{conn}"], 2, "an upgrade goes to a higher version"),

        // Assemblies for the generic runner.
        new("assembly that does not exist", ["--assembly", "{dir}/Missing.dll", "status", "--connection", "{conn}"], 2, "--assembly {dir}/Missing.dll: no such file",
            GenericRunner: true),
        new("assembly that is a folder", ["--assembly", "{dir}", "status", "--connection", "{conn}"], 2, "no such file", GenericRunner: true),
        new("assembly that is a text file", ["--assembly", "{dir}/no-migrations/readme.txt", "status", "--connection", "{conn}"], 2,
            "is not a .NET assembly this runner can load", GenericRunner: true),
        new("assembly that is empty", ["--assembly", "{dir}/empty.dll", "status", "--connection", "{conn}"], 2, "is not a .NET assembly this runner can load",
            GenericRunner: true),
        new("assembly folder that does not exist", ["--assembly-dir", "{dir}/nowhere", "status", "--connection", "{conn}"], 2, "no such folder", GenericRunner: true),
        new("assembly folder without migrations", ["--assembly-dir", "{dir}/no-migrations", "status", "--connection", "{conn}"], 2,
            "no assembly in it carries [assembly: MigrationProject]", GenericRunner: true),
        new("assembly path with terminal escapes", ["--assembly", "{dir}/x" + Escape + ".dll", "status", "--connection", "{conn}"], 2, @"\u001b[2J",
            GenericRunner: true),
        new("no assembly given to the generic runner", ["status", "--connection", "{conn}"], 2, "No migrations found", GenericRunner: true),
    ];

    private static Dictionary<string, string> Variables(string port = "{port}", string password = "{pw}") => new()
    {
        ["DB_HOST"] = "{host}",
        ["DB_PORT"] = port,
        ["DB_NAME"] = "{db}",
        ["DB_USER"] = "{user}",
        ["DB_PASSWORD"] = password,
    };
}
