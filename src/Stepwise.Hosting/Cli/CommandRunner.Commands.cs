using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Stepwise.Catalog;
using Stepwise.Execution;
using Stepwise.Hosting.Output;
using Stepwise.Planning;
using Stepwise.Verification;

namespace Stepwise.Hosting.Cli;

// Each command's call into the orchestrator, and what it writes.
internal sealed partial class CommandRunner
{
    private async Task<ExitCode> ExecuteAsync(IServiceProvider services, IDatabaseEngine engine, MigrationCatalog catalog, CommandInput input,
        RunOptions runOptions, CancellationToken cancellationToken)
    {
        var orchestrator = new MigrationOrchestrator(engine, services, services.GetRequiredService<ILogger<MigrationOrchestrator>>(),
            services.GetRequiredService<TimeProvider>());

        // The commands that move the database (what a deploy runs), here rather than in a handler of their own: the path
        // from the command line to the migration's code stays one call shorter.
        if (OperationOf(input.Kind) is { } operation)
        {
            var applied = Project(catalog, input);
            var request = new PlanRequest(operation, input.Version, input.FromVersion) { DeferPostUpgrade = input.DeferPostUpgrade };
            var result = await orchestrator.RunAsync(applied, request, runOptions, cancellationToken).ConfigureAwait(false);
            await WriteAsync(PlanOutput.Create(result.Plan, applied.Policies, result.DryRun, result.StepsRun, result.Drift), OutputJsonContext.Default.PlanOutput,
                TextRenderer.Plan).ConfigureAwait(false);
            return ExitCode.Ok;
        }

        // Commands about the database rather than one project of this runner.
        if (input.Kind == CommandKind.Status && input.All)
        {
            var projects = await orchestrator.ListProjectsAsync(runOptions, cancellationToken).ConfigureAwait(false);
            await WriteAsync(new ProjectsOutput(projects.Select(static p => new ProjectEntryOutput(p.Key, p.Value)).ToArray()), OutputJsonContext.Default.ProjectsOutput, TextRenderer.Projects).ConfigureAwait(false);
            return ExitCode.Ok;
        }

        if (input.Kind == CommandKind.Audit)
        {
            var runs = await orchestrator.AuditAsync(input.Audit!, runOptions, cancellationToken).ConfigureAwait(false);
            await WriteAsync(runs, OutputJsonContext.Default.IReadOnlyListAuditRun, TextRenderer.Audit).ConfigureAwait(false);
            return ExitCode.Ok;
        }

        if (input.Kind == CommandKind.History)
        {
            var name = input.Project ?? catalog.Resolve(null).Name;
            var history = await orchestrator.HistoryAsync(name, input.Limit, runOptions, cancellationToken).ConfigureAwait(false);
            await WriteAsync(history, OutputJsonContext.Default.IReadOnlyListHistoryEntry, h => TextRenderer.History(h, name)).ConfigureAwait(false);
            return ExitCode.Ok;
        }

        var project = Project(catalog, input);
        return input.Kind switch
        {
            CommandKind.Plan => await PlanAsync(orchestrator, project, input, runOptions, cancellationToken).ConfigureAwait(false),
            CommandKind.Status or CommandKind.Validate => await StatusAsync(orchestrator, project, input, runOptions, cancellationToken).ConfigureAwait(false),
            CommandKind.Repair => await RepairAsync(orchestrator, project, input, runOptions, cancellationToken).ConfigureAwait(false),
            CommandKind.Wait => await WaitAsync(orchestrator, project, input, runOptions, cancellationToken).ConfigureAwait(false),
            CommandKind.VerifyRollback => await VerifyRollbackAsync(services, engine, project, input, runOptions, cancellationToken).ConfigureAwait(false),
            CommandKind.BackupsList or CommandKind.BackupsDrop => await BackupsAsync(orchestrator, project, input, runOptions, cancellationToken).ConfigureAwait(false),
            _ => throw new InvalidOperationException($"Command {input.Kind} has no handler."),
        };
    }

    private static Operation? OperationOf(CommandKind kind) => kind switch
    {
        CommandKind.Install => Operation.Install,
        CommandKind.Upgrade => Operation.Upgrade,
        CommandKind.Migrate => Operation.Migrate,
        CommandKind.Rollback => Operation.Rollback,
        _ => null,
    };

    private async Task<ExitCode> PlanAsync(MigrationOrchestrator orchestrator, ProjectCatalog project, CommandInput input, RunOptions runOptions,
        CancellationToken cancellationToken)
    {
        var (plan, drift) = await orchestrator.PlanAsync(project, input.PlanOperation, input.Version, input.FromVersion, input.DeferPostUpgrade,
            runOptions, cancellationToken).ConfigureAwait(false);
        await WriteAsync(PlanOutput.Create(plan, project.Policies, dryRun: false, stepsRun: 0, drift), OutputJsonContext.Default.PlanOutput, TextRenderer.Plan)
            .ConfigureAwait(false);
        return ExitCode.Ok;
    }

    // status reports; validate judges the same report and says so in its exit code.
    private async Task<ExitCode> StatusAsync(MigrationOrchestrator orchestrator, ProjectCatalog project, CommandInput input, RunOptions runOptions,
        CancellationToken cancellationToken)
    {
        var report = await orchestrator.StatusAsync(project, runOptions, cancellationToken).ConfigureAwait(false);
        if (input.Kind == CommandKind.Status)
        {
            await WriteAsync(StatusOutput.From(report), OutputJsonContext.Default.StatusOutput, TextRenderer.Status).ConfigureAwait(false);
            return ExitCode.Ok;
        }

        var status = StatusOutput.From(report);
        var result = new ValidateOutput(project.Name, status.AppliedCount, status.Drift, status.Failed, status.Interrupted);
        await WriteAsync(result, OutputJsonContext.Default.ValidateOutput, TextRenderer.Validate).ConfigureAwait(false);
        return result.Drift.Count > 0 ? ExitCode.Drift : result.Failed.Count + result.Interrupted.Count > 0 ? ExitCode.InvalidState : ExitCode.Ok;
    }

    private async Task<ExitCode> RepairAsync(MigrationOrchestrator orchestrator, ProjectCatalog project, CommandInput input, RunOptions runOptions,
        CancellationToken cancellationToken)
    {
        var actions = await orchestrator.RepairAsync(project, runOptions, cancellationToken).ConfigureAwait(false);
        var result = new RepairOutput(project.Name, input.DryRun,
            actions.Select(static a => new RepairActionOutput(KindName(a.Kind), a.Key, a.Name, a.Version, a.Reason)).ToArray());
        await WriteAsync(result, OutputJsonContext.Default.RepairOutput, TextRenderer.Repair).ConfigureAwait(false);
        return ExitCode.Ok;
    }

    private async Task<ExitCode> WaitAsync(MigrationOrchestrator orchestrator, ProjectCatalog project, CommandInput input, RunOptions runOptions,
        CancellationToken cancellationToken)
    {
        var reached = await orchestrator.WaitForVersionAsync(project.Name, input.MinVersion!, input.WaitTimeout, runOptions, cancellationToken)
            .ConfigureAwait(false);
        await WriteAsync(new WaitOutput(project.Name, reached.ToString(), input.MinVersion!.ToString()), OutputJsonContext.Default.WaitOutput,
            static w => $"{w.Project} is at {w.Version} (at least {w.MinVersion})." + Environment.NewLine).ConfigureAwait(false);
        return ExitCode.Ok;
    }

    private async Task<ExitCode> VerifyRollbackAsync(IServiceProvider services, IDatabaseEngine engine, ProjectCatalog project, CommandInput input,
        RunOptions runOptions, CancellationToken cancellationToken)
    {
        var report = await services.GetRequiredService<RollbackVerifier>().VerifyAsync(engine, project, input.Version, runOptions, cancellationToken)
            .ConfigureAwait(false);
        await WriteAsync(RollbackReportOutput.From(report), OutputJsonContext.Default.RollbackReportOutput, TextRenderer.RollbackReport).ConfigureAwait(false);
        return report.Passed ? ExitCode.Ok : report.RollbackProblem ? ExitCode.RollbackFailed : ExitCode.MigrationFailed;
    }

    private async Task<ExitCode> BackupsAsync(MigrationOrchestrator orchestrator, ProjectCatalog project, CommandInput input, RunOptions runOptions,
        CancellationToken cancellationToken)
    {
        if (input.Kind == CommandKind.BackupsList)
        {
            var backups = await orchestrator.ListBackupsAsync(project.Name, runOptions, cancellationToken).ConfigureAwait(false);
            await WriteAsync(new BackupsOutput(project.Name, Dropped: false, DryRun: false, backups), OutputJsonContext.Default.BackupsOutput,
                TextRenderer.Backups).ConfigureAwait(false);
            return ExitCode.Ok;
        }

        if ((input.Version is null) == !input.All)
        {
            throw new StepwiseException(FailureKind.Usage, "backups drop needs either --version (one version's backups) or --all.");
        }

        var dropped = await orchestrator.DropBackupsAsync(project.Name, input.Version, runOptions, cancellationToken).ConfigureAwait(false);
        await WriteAsync(new BackupsOutput(project.Name, Dropped: true, input.DryRun, dropped), OutputJsonContext.Default.BackupsOutput,
            TextRenderer.Backups).ConfigureAwait(false);
        return ExitCode.Ok;
    }
}
