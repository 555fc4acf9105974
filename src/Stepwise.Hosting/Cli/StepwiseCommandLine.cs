using System.CommandLine;

namespace Stepwise.Hosting.Cli;

/// <summary>The commands and options of the original design's orchestrator, on System.CommandLine.</summary>
internal static class StepwiseCommandLine
{
    public static RootCommand Create(CliOptions options, bool acceptsAssemblies, Func<ParseResult, CancellationToken, Task<int>> run)
    {
        var root = new RootCommand("Stepwise: code-first database migrations, run as a Kubernetes Job or by hand.");

        // --version names the version to reach, after a command. The parser's own --version (the program's version) on
        // the root would read as the same option; here the root's --version explains the two, and 'version' prints ours.
        root.Options.Remove(root.Options.OfType<VersionOption>().Single());
        root.Options.Add(options.MisplacedVersion);
        root.Options.Add(options.Project);
        root.Options.Add(options.DatabaseType);
        root.Options.Add(options.Environment);
        root.Options.Add(options.Connection);
        root.Options.Add(options.LockTimeout);
        root.Options.Add(options.CommandTimeout);
        root.Options.Add(options.Output);
        root.Options.Add(options.LogFormat);
        root.Options.Add(options.LogLevel);
        root.Options.Add(options.Config);
        if (acceptsAssemblies)
        {
            root.Options.Add(options.Assembly);
            root.Options.Add(options.AssemblyDir);
        }

        Add(root, CommandKind.Install, "install", "Bring an empty database to a version (default: the newest).",
            options.Version, options.FromVersion, options.DryRun, options.AllowDrift);
        Add(root, CommandKind.Upgrade, "upgrade", "Move an installed database up to a version (default: the newest).",
            options.Version, options.FromVersion, options.DryRun, options.AllowDrift);
        Add(root, CommandKind.Rollback, "rollback", "Move an installed database down to a version, running Down in exact reverse order. Without --version: undo what an unfinished run left above the recorded version (all of an install stopped part-way).",
            options.Version, options.FromVersion, options.DryRun, options.AllowDrift);
        Add(root, CommandKind.Migrate, "migrate",
            "Bring the database to a version (default: the newest) whatever it holds: install when empty, upgrade otherwise, never down. What a deployment hook runs.",
            options.Version, options.FromVersion, options.DryRun, options.AllowDrift, options.DeferPostUpgrade);
        Add(root, CommandKind.Status, "status", "Show the version, pending migrations, failures and drift.", options.All);
        Add(root, CommandKind.Plan, "plan",
            "Show what a command would run, changing nothing: 'plan' (what the database's state calls for), 'plan upgrade --version 1.2.0', 'plan migrate --defer-post-upgrade'.",
            options.Version, options.FromVersion, options.DeferPostUpgrade).Arguments.Add(options.PlanOperation);
        Add(root, CommandKind.Validate, "validate", "Check that applied migrations still match the code (checksums).");
        Add(root, CommandKind.History, "history", "Show the migration history, newest first, with the run each step belonged to.", options.Limit);
        Add(root, CommandKind.Audit, "audit",
            "Show the audit log's runs, newest first: who ran what, where, when, how long and how it ended (every project unless --project).",
            options.Since, options.Outcome, options.RunId, options.Limit);
        Add(root, CommandKind.Repair, "repair",
            "Settle failed or interrupted non-transactional steps by their checks (run again, or recorded as finished), record again deleted applied records, and accept changed or removed migrations as they are now.", options.DryRun);

        Add(root, CommandKind.Wait, "wait",
            "Wait until the database records the project at --min-version or later (for an application's init container), then exit 0.",
            options.MinVersion, options.WaitTimeout);
        Add(root, CommandKind.Manifest, "manifest",
            "Print the migration Job the Helm chart renders, as plain YAML for kubectl, Kustomize or Argo CD (needs no database).",
            options.Image, options.Version, options.FromVersion, options.Hook, options.ArgoCd, options.Secret);
        Add(root, CommandKind.VerifyRollback, "verify-rollback",
            "For CI: on a scratch database next to --connection's, apply each migration up to --version (default: the newest), roll it back and apply it again, " +
            "and report every migration whose Down does not restore the schema before its Up.", options.Version);

        Add(root, CommandKind.Version, "version", "Print the runner's Stepwise version and each project's newest migration version (needs no database).");

        var config = new Command("config", "Work with the project's project-config.yaml.");
        root.Subcommands.Add(config);
        Add(config, CommandKind.ConfigCheck, "check", "Check the configuration against the migrations, without a database (for CI).");

        var backups = new Command("backups", "Backups taken under the backup_before_upgrade policy.");
        root.Subcommands.Add(backups);
        Add(backups, CommandKind.BackupsList, "list", "List the project's backups.");
        Add(backups, CommandKind.BackupsDrop, "drop", "Drop the backups of --version, or every backup with --all.", options.Version, options.All, options.DryRun);

        Command Add(Command parent, CommandKind kind, string name, string description, params Option[] commandOptions)
        {
            var command = new RunnerCommand(name, description, kind);
            foreach (var option in commandOptions)
            {
                command.Options.Add(option);
            }

            // The runner itself is the action (no closure over the kind): it asks the parse which command it is.
            command.SetAction(run);
            parent.Subcommands.Add(command);
            return command;
        }

        return root;
    }

    /// <summary>Which command a parse chose.</summary>
    public static CommandKind KindOf(ParseResult parse) => ((RunnerCommand)parse.CommandResult.Command).Kind;

    private sealed class RunnerCommand(string name, string description, CommandKind kind) : Command(name, description)
    {
        public CommandKind Kind => kind;
    }
}
