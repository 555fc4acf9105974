using Stepwise.Execution;

namespace Stepwise.Specification.Tests;

/// <summary>What an engine's subclass of <see cref="LifecycleSpecification"/> supplies: the engine, databases, and its migrations.</summary>
public interface IEngineUnderTest
{
    IDatabaseEngine Engine { get; }

    /// <summary>The engine's versions of the specification's migrations.</summary>
    SpecMigrations Migrations { get; }

    /// <summary>A new, empty database, dropped when disposed.</summary>
    Task<ISpecDatabase> CreateDatabaseAsync();
}

/// <summary>A database a specification test runs against.</summary>
public interface ISpecDatabase : IAsyncDisposable
{
    SessionOptions Session { get; }

    /// <summary>Whether the collection or table <paramref name="name"/> exists.</summary>
    Task<bool> HasAsync(string name);

    /// <summary>Changes <paramref name="name"/> behind the runner's back, so that a migration's check finds it.</summary>
    Task CreateAsync(string name);

    /// <summary>The rows of table, or documents of collection, <paramref name="store"/>; <c>null</c> when it does not exist.</summary>
    Task<long?> CountAsync(string store);

    /// <summary>Adds <paramref name="count"/> rows or documents to <paramref name="store"/>, as the application would.</summary>
    Task AddRowsAsync(string store, int count);
}

/// <summary>
/// The migrations every engine writes for the specification, each creating the thing (table, collection) it is named
/// after, with PreCheck, Validate and Down that check it.
/// </summary>
/// <param name="Widgets">1.0.0, order 1: creates <c>widgets</c>.</param>
/// <param name="Gadgets">1.1.0, order 1: creates <c>gadgets</c>.</param>
/// <param name="Gizmos">1.1.0, order 2, non-transactional: creates <c>gizmos</c>.</param>
/// <param name="GadgetsFailingValidate">In place of <paramref name="Gadgets"/>: creates <c>gadgets</c>, then its Validate fails.</param>
/// <param name="GadgetsFailingUp">In place of <paramref name="Gadgets"/>: creates <c>gadgets</c>, then Up throws.</param>
/// <param name="GizmosFailingUp">In place of <paramref name="Gizmos"/>: creates <c>gizmos</c> outside a transaction, then Up throws.</param>
/// <param name="GadgetsFailingDown">In place of <paramref name="Gadgets"/>: its Down throws before changing anything.</param>
/// <param name="GadgetsChanged">In place of <paramref name="Gadgets"/>: the same migration with a different body (drift).</param>
/// <param name="GadgetsChangingWidgets">In place of <paramref name="Gadgets"/>: declares that it changes the table or collection that holds <c>widgets</c> (<see cref="ChangesAttribute"/>), and adds one row or document to it, which its Down removes.</param>
/// <param name="GizmosInterrupted">In place of <paramref name="Gizmos"/>: creates <c>gizmos</c>, then the run is stopped (<see cref="Interruption"/>).</param>
public sealed record SpecMigrations(
    Type Widgets,
    Type Gadgets,
    Type Gizmos,
    Type GadgetsFailingValidate,
    Type GadgetsFailingUp,
    Type GizmosFailingUp,
    Type GadgetsFailingDown,
    Type GadgetsChanged,
    Type GadgetsChangingWidgets,
    Type GizmosInterrupted);

/// <summary>
/// Stops the run a migration is part of, as a signal or a lost pod stops it: the run's cancellation token is this one,
/// and the migration cancels it after its change.
/// </summary>
public static class Interruption
{
    private static readonly AsyncLocal<CancellationTokenSource?> Current = new();

    /// <summary>A token for one run, which <see cref="Stop"/> cancels.</summary>
    public static CancellationToken Start() => (Current.Value = new CancellationTokenSource()).Token;

    /// <summary>Stops the run that <see cref="Start"/> began, and throws as a cancelled run does.</summary>
    public static void Stop()
    {
        var run = Current.Value ?? throw new InvalidOperationException("No interruptible run was started.");
        run.Cancel();
        run.Token.ThrowIfCancellationRequested();
    }
}
