using Stepwise.Execution;
using Stepwise.State;
using Stepwise.Versioning;

namespace Stepwise.Core.Tests.Execution.Memory;

/// <summary>
/// An engine that keeps its database in memory, for unit tests of the run coordinator and the step executor: the
/// seams every engine implements and nothing more (no rehearsal or backups; held checks only as a seam that can fail,
/// see <see cref="MemoryDatabase.HoldChecksFailure"/>). Ledger marks follow
/// <see cref="LedgerRules"/>, as a real engine's do; the real engines are tested by the specification suite.
/// </summary>
internal sealed class MemoryEngine(MemoryDatabase database) : IDatabaseEngine
{
    public string Name => "memory";

    public int DefaultPort => 0;

    public Type ContextType => typeof(MemoryContext);

    public Task<IDatabaseSession> OpenAsync(SessionOptions options, CancellationToken cancellationToken) =>
        Task.FromResult<IDatabaseSession>(new MemorySession(database));
}

/// <summary>What the memory engine's database holds: the migrations' things, and the runner's records.</summary>
internal sealed class MemoryDatabase
{
    public HashSet<string> Things { get; } = new(StringComparer.Ordinal);

    public string? Version { get; set; }

    public bool ProjectRecorded { get; set; }

    public Dictionary<string, (AppliedMigration Migration, LedgerMark Mark)> Ledger { get; } = new(StringComparer.Ordinal);

    public List<StepRecord> History { get; } = [];

    public List<(RunRecord Run, RunOutcome? Outcome, string? Message)> Audit { get; } = [];

    public int StoreVersion { get; set; }

    /// <summary>Another runner's hold on the project's lock.</summary>
    public bool LockedElsewhere { get; set; }

    public int LockAttempts { get; set; }

    /// <summary>Runs once, just before the next lock is granted: another runner's work between a run's two reads.</summary>
    public Func<Task>? BeforeLock { get; set; }

    public bool LockHeld { get; set; }

    public Dictionary<string, string?> OtherProjects { get; } = new(StringComparer.Ordinal);

    /// <summary>A database without transactions: a step written for one runs without, and is undone by its Down when it fails (<see cref="ICompensatingScope"/>).</summary>
    public bool NoTransactions { get; set; }

    /// <summary>How many step commits still fail as a server that aborted the transaction would make them fail (<see cref="ITransientFailures"/>).</summary>
    public int TransientCommitFailures { get; set; }

    public int Commits { get; set; }

    /// <summary>What the step scope's <see cref="IHeldChecks.HoldChecks"/> throws, as an engine with a fault in it would.</summary>
    public Exception? HoldChecksFailure { get; set; }

    /// <summary>Steps this database cannot run as written (<see cref="IStepRequirements"/>), with the reason.</summary>
    public Func<Stepwise.Catalog.MigrationDescriptor, string?>? Refuse { get; set; }
}

/// <summary>The context the memory engine gives migrations: the database's things.</summary>
public sealed class MemoryContext(string project, MigrationDirection direction, HashSet<string> things) : IMigrationContext
{
    public string Project => project;

    public string? Environment => null;

    public MigrationDirection Direction => direction;

    public HashSet<string> Things => things;
}

/// <summary>What the memory database throws when it aborts a step's transaction on its own account.</summary>
internal sealed class MemoryTransientException() : Exception("the memory database aborted the transaction (write conflict)");
