using MongoDB.Driver;
using Stepwise.Execution;

namespace Stepwise.MongoDb.Internal;

/// <summary>Steps run for practice in one transaction that is always aborted: policy <c>dry_run_first</c>, and the judging of a stopped step.</summary>
internal sealed class MongoRehearsal(IMongoDatabase db, IClientSessionHandle session) : IRehearsal
{
    private readonly MongoContext.CatalogChanges _changes = new();

    public IMigrationContext ContextFor(StepStart step) => MongoContext.For(db, session, inTransaction: true, step, _changes);

    public async ValueTask DisposeAsync()
    {
        // Nothing of a rehearsal is ever committed.
        await Transactions.AbortQuietlyAsync(session).ConfigureAwait(false);
        session.Dispose();
    }
}
