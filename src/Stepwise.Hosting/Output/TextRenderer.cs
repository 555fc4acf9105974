using System.Globalization;
using System.Text;
using Stepwise.Execution;

namespace Stepwise.Hosting.Output;

/// <summary>Results for people at a terminal.</summary>
internal static class TextRenderer
{
    public static string Plan(PlanOutput plan)
    {
        var text = new StringBuilder();
        var from = plan.From ?? "nothing installed";
        var target = plan.Target ?? "nothing installed";
        if (plan.NothingToDo)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"{plan.Project} is at {target}: nothing to do.");
            return text.ToString();
        }

        var verb = plan.DryRun ? "Dry run of" : plan.StepsRun > 0 ? "Ran" : "Plan:";
        text.AppendLine(CultureInfo.InvariantCulture, $"{verb} {plan.Operation} {plan.Project}: {Movement(plan, from, target)}");
        if (plan.Route.Count > 1)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  route: {string.Join(" -> ", plan.Route)}");
        }

        text.Append(Steps(plan.Steps));
        foreach (var note in plan.Notes)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  note: {note}");
        }

        if (plan.Drift.Count > 0)
        {
            text.AppendLine("Drift (allowed for this run):");
            text.Append(Drift(plan.Drift));
        }

        if (plan.DryRun)
        {
            text.AppendLine("Dry run: nothing was changed.");
        }
        else if (plan.StepsRun > 0 || plan.Steps.Count == 0)
        {
            text.AppendLine(plan.Target is null
                ? $"{plan.Project} is not installed: the unfinished install was undone."
                : $"{plan.Project} is at {plan.Target}.");
        }

        return text.ToString();
    }

    public static string Status(StatusOutput status)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Project:          {status.Project}");
        text.AppendLine(CultureInfo.InvariantCulture, $"Current version:  {status.CurrentVersion ?? (status.AppliedCount > 0 ? "(install under way or interrupted)" : "(not installed)")}");
        if (status.UpdatedAt is { } updated)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"Updated at:       {updated.ToUniversalTime():yyyy-MM-dd HH:mm:ss} UTC");
        }

        text.AppendLine(CultureInfo.InvariantCulture, $"Latest known:     {status.LatestVersion ?? "(none)"}");
        text.AppendLine(CultureInfo.InvariantCulture, $"Applied:          {status.AppliedCount} migration(s)");
        if (status.PendingProblem is not null)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"Pending:          cannot plan: {status.PendingProblem}");
        }
        else
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"Pending:          {status.Pending.Count} migration(s){(status.Pending.Count > 0 ? $" to reach {status.LatestVersion}" : "")}");
            text.Append(status.Pending.Count > 0 ? Steps(status.Pending) : "");
        }

        if (status.Failed.Count > 0)
        {
            text.AppendLine("Failed outside a transaction (run 'rollback' or 'repair'):");
            foreach (var failed in status.Failed)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"  {failed.Version}  {failed.Name}  [{failed.Key}]");
            }
        }

        if (status.Interrupted.Count > 0)
        {
            text.AppendLine("Did not finish outside a transaction (the next install, upgrade or repair checks them; 'rollback' undoes them):");
            foreach (var step in status.Interrupted)
            {
                text.AppendLine(CultureInfo.InvariantCulture,
                    $"  {step.Version}  {step.Name}  [{step.Key}]  {(step.Direction == "up" ? "Up" : "Down")} started {step.StartedAt.ToUniversalTime():yyyy-MM-dd HH:mm:ss} UTC");
            }
        }

        foreach (var leftover in status.Leftovers)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"Left behind:      {leftover}");
        }

        text.AppendLine(status.Drift.Count == 0 ? "Drift:            none" : "Drift:");
        text.Append(status.Drift.Count > 0 ? Drift(status.Drift) : "");
        return text.ToString();
    }

    public static string History(IReadOnlyList<HistoryEntry> entries, string project)
    {
        if (entries.Count == 0)
        {
            return $"No history for {project}." + Environment.NewLine;
        }

        var table = new TextTable("id", "run", "started (UTC)", "version", "migration", "direction", "status", "ms", "environment", "host", "error");
        foreach (var e in entries)
        {
            table.Add(e.Id.ToString(CultureInfo.InvariantCulture), ShortRunId(e.RunId), Utc(e.StartedAt), e.Version, e.Name, e.Direction, e.Status,
                e.DurationMs.ToString("0", CultureInfo.InvariantCulture), e.Environment, e.Host, e.Error is null ? null : Shorten(e.Error));
        }

        return table.ToString();
    }

    public static string Audit(IReadOnlyList<AuditRun> runs)
    {
        if (runs.Count == 0)
        {
            return "No runs in the audit log match." + Environment.NewLine;
        }

        var table = new TextTable("id", "run", "started (UTC)", "project", "operation", "from", "to", "environment", "outcome", "s", "steps", "who", "message");
        foreach (var r in runs)
        {
            var seconds = r.FinishedAt is { } finished ? (finished - r.StartedAt).TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) : null;
            table.Add(r.Id.ToString(CultureInfo.InvariantCulture), ShortRunId(r.RunId), Utc(r.StartedAt), r.Project, r.Operation, r.FromVersion, r.TargetVersion,
                r.Environment, r.Outcome, seconds, r.Steps.ToString(CultureInfo.InvariantCulture), Who(r), r.Message is null ? null : Shorten(r.Message));
        }

        return table.ToString();
    }

    // The deploying identity when one was given, else the OS user, and where it ran.
    private static string Who(AuditRun run) => $"{run.Actor ?? run.OsUser ?? run.DatabaseUser}@{run.Host}";

    // As many digits as --run-id needs at least: enough to tell a project's runs apart, short enough for a table.
    private static string ShortRunId(Guid runId) => runId.ToString()[..8];

    private static string Utc(DateTimeOffset at) => at.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    public static string Validate(ValidateOutput result)
    {
        var text = new StringBuilder();
        if (result.Drift.Count == 0)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"{result.Project}: all {result.AppliedCount} applied migration(s) match the code.");
        }
        else
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"{result.Project}: {result.Drift.Count} applied migration(s) differ from the code:");
            text.Append(Drift(result.Drift));
            text.AppendLine("Restore the applied code, or accept the change with 'repair'.");
        }

        foreach (var failed in result.Failed)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"{failed.Name} [{failed.Key}] failed outside a transaction: run 'rollback' or 'repair'.");
        }

        foreach (var step in result.Interrupted)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"{step.Name} [{step.Key}] did not finish outside a transaction: run 'repair', or 'rollback' to undo it.");
        }

        return text.ToString();
    }

    public static string Repair(RepairOutput result)
    {
        if (result.Actions.Count == 0)
        {
            return $"{result.Project}: nothing to repair." + Environment.NewLine;
        }

        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"{(result.DryRun ? "Would repair" : "Repaired")} {result.Project}:");
        foreach (var action in result.Actions)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  {action.Kind,-16} {action.Version,-10} {action.Name}  [{action.Key}]{(action.Reason is null ? "" : $": {action.Reason}")}");
        }

        return text.ToString();
    }

    public static string ConfigCheck(ConfigCheckOutput check)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"{check.Project}: configuration and migrations agree.");
        text.AppendLine(CultureInfo.InvariantCulture, $"  configuration: {check.ConfigSource ?? "none (versions in semver order, no policies)"}");
        text.AppendLine(CultureInfo.InvariantCulture, $"  versions:      {string.Join(", ", check.Versions)} ({check.Migrations} migrations{(check.CompatibilityMatrix ? ", compatibility matrix" : "")})");
        var policies = new[]
        {
            check.RequireRollback ? "require_rollback" : null,
            check.RequireValidation ? "require_validation" : null,
            check.DryRunFirst ? "dry_run_first" : null,
            check.BackupBeforeUpgrade ? "backup_before_upgrade" : null,
        }.OfType<string>().ToArray();
        text.AppendLine(CultureInfo.InvariantCulture, $"  policies:      {(policies.Length == 0 ? "none" : string.Join(", ", policies))}");
        return text.ToString();
    }

    public static string Backups(BackupsOutput result)
    {
        if (result.Backups.Count == 0)
        {
            return $"{result.Project}: no backups{(result.Dropped ? " to drop" : "")}." + Environment.NewLine;
        }

        var verb = result.Dropped ? (result.DryRun ? "Would drop" : "Dropped") : "Backups of";
        var table = new TextTable("version", "table", "copy", "rows", "taken (UTC)", "for");
        foreach (var b in result.Backups)
        {
            table.Add(b.Version, b.Source, b.Backup, b.Rows.ToString(CultureInfo.InvariantCulture),
                Utc(b.CreatedAt), b.MigrationKey);
        }

        return $"{verb} {result.Project}:{Environment.NewLine}{table}";
    }

    public static string RollbackReport(RollbackReportOutput report)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Rollback check of {report.Project} up to {report.Target}, on scratch databases:");
        foreach (var route in report.Routes)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  {route}");
            foreach (var check in report.Checks.Where(c => c.Route == route))
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"    {(check.Passed ? "ok  " : "FAIL")}  {check.Version,-10} {check.Name}  [{check.Key}]: {Verdict(check)}");
                foreach (var lost in check.Lost)
                {
                    text.AppendLine(CultureInfo.InvariantCulture, $"            - {lost}");
                }

                foreach (var gained in check.Gained)
                {
                    text.AppendLine(CultureInfo.InvariantCulture, $"            + {gained}");
                }
            }
        }

        var failed = report.Checks.Count(static c => !c.Passed);
        text.AppendLine(failed == 0
            ? $"All {report.Checks.Count} rollback(s) restore the schema."
            : $"{failed} of {report.Checks.Count} migration(s) fail the check ('-' only before, '+' only after).");
        return text.ToString();
    }

    private static string Verdict(RollbackCheckOutput check) => check.Verdict switch
    {
        "restored" => "Down restores the schema, and Up builds it again",
        "irreversible" => $"irreversible, not checked ({check.Message})",
        "not-restored" => "after Down, the schema differs from before Up" + (check.Message is null ? "" : $"; {check.Message}"),
        "not-repeatable" => "Down restores the schema, but Up run again builds a different one" + (check.Message is null ? "" : $": {check.Message}"),
        "up-failed" => $"Up failed, so its rollback was not checked: {check.Message}",
        _ => $"Down failed: {check.Message}",
    };

    // "1.0.0 -> 1.1.0, 3 step(s)"; a run that leaves the version where it was says what its steps are instead.
    private static string Movement(PlanOutput plan, string from, string target)
    {
        var steps = plan.Steps.Count;
        if (plan.From != plan.Target || steps == 0)
        {
            return $"{from} -> {target}, {steps} step(s)";
        }

        var done = plan.StepsRun > 0 && !plan.DryRun;
        if (plan.Steps.All(static s => s.Direction == "down"))
        {
            return plan.From is null
                ? $"{(done ? "undid" : "undo")} {steps} step(s) of an install stopped part-way; nothing stays installed"
                : $"{(done ? "undid" : "undo")} {steps} step(s) an unfinished run left above {from}; the version stays {from}";
        }

        return $"{(done ? "applied" : "apply")} {steps} step(s) of {from} not applied yet (deferred post-upgrade, or a run stopped after recording the version); the version stays {from}";
    }

    public static string Version(VersionOutput version) =>
        $"Stepwise {version.Runner}" + Environment.NewLine +
        (version.Projects.Count == 0 ? "" : new TextTable("project", "newest migration version")
            .AddRange(version.Projects.Select(static p => new[] { p.Project, p.Version ?? "(no migrations)" })).ToString());

    public static string Projects(ProjectsOutput projects) =>
        projects.Projects.Count == 0
            ? "No project is recorded in this database." + Environment.NewLine
            : new TextTable("project", "version").AddRange(projects.Projects.Select(static p => new[] { p.Project, p.Version ?? "(install under way)" })).ToString();

    private static string Steps(IReadOnlyList<StepOutput> steps)
    {
        var table = new TextTable("#", "dir", "version", "migration", "path/phase/order", "tx", "description");
        foreach (var s in steps)
        {
            table.Add(s.Number.ToString(CultureInfo.InvariantCulture), s.Direction, s.Version, s.Name, $"{s.Path}/{s.Phase}/{s.Order}",
                s.Transactional ? "yes" : "no", s.Transactional ? s.Description : $"{s.Description} (non-transactional: {s.NonTransactionalReason})");
        }

        return table.ToString();
    }

    private static string Drift(IReadOnlyList<DriftOutput> drift) =>
        string.Concat(drift.Select(static d => d.Kind switch
        {
            "changed" => $"  changed  {d.Name} [{d.Key}]: applied {d.AppliedChecksum[..Math.Min(12, d.AppliedChecksum.Length)]}, code {d.CurrentChecksum?[..Math.Min(12, d.CurrentChecksum.Length)]}{Environment.NewLine}",
            "missing" => $"  missing  {d.Name} [{d.Key}]: applied, but no longer in the code{Environment.NewLine}",
            _ => $"  unrecorded {d.Name} [{d.Key}]: applied according to the history, but its applied record was deleted ('repair' records it again){Environment.NewLine}",
        }));

    private static string Shorten(string text)
    {
        var line = text.ReplaceLineEndings(" ");
        return line.Length <= 80 ? line : line[..77] + "...";
    }
}
