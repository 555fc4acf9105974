using System.Collections.Concurrent;
using MongoDB.Bson;
using MongoDB.Bson.IO;
using MongoDB.Driver.Core.Events;
using Stepwise.Execution;

namespace Stepwise.MongoDb.Internal;

/// <summary>
/// Keeps the commands each step's migration sends that change the database, as PostgreSQL steps keep their statements
/// (<see cref="SentCommands"/>). The driver reports every command it sends; a command belongs to the step whose session
/// it carries (its <c>lsid</c>). Reads, the runner's own collections, and commands sent outside the step's session are
/// not kept. Documents are never kept, only how many were written: they are data.
/// </summary>
internal sealed class StepCommandLog
{
    // The fields the driver adds to every command: session, transaction, cluster time, options of the connection.
    private static readonly HashSet<string> DriverFields =
    [
        "lsid", "txnNumber", "$db", "$clusterTime", "autocommit", "startTransaction", "writeConcern", "readConcern", "$readPreference",
        "apiVersion", "apiStrict", "apiDeprecationErrors", "comment", "maxTimeMS", "bypassDocumentValidation", "ordered",
    ];

    // Commands that change documents: kept as name, collection and count.
    private static readonly Dictionary<string, string> Writes = new(StringComparer.Ordinal)
    {
        ["insert"] = "documents",
        ["update"] = "updates",
        ["delete"] = "deletes",
    };

    // Commands that change collections, indexes or validators: kept whole (they hold the schema, not data).
    private static readonly HashSet<string> Definitions =
        ["create", "createIndexes", "drop", "dropIndexes", "collMod", "renameCollection", "dropDatabase", "aggregate"];

    private readonly ConcurrentDictionary<string, SentCommands> _bySession = new(StringComparer.Ordinal);

    /// <summary>Keeps the commands sent with <paramref name="sessionId"/> (the session's <c>ServerSession.Id</c>) in <paramref name="sent"/> until disposed.</summary>
    public IDisposable Watch(BsonDocument sessionId, SentCommands? sent)
    {
        if (sent is null || Key(sessionId) is not { } key)
        {
            return Stopped.Instance;
        }

        _bySession[key] = sent;
        return new Watching(this, key);
    }

    /// <summary>The driver's report of a command it sent (subscribed on the client's cluster).</summary>
    public void OnStarted(CommandStartedEvent started)
    {
        if (_bySession.IsEmpty || started.Command is not { } command || !command.TryGetValue("lsid", out var lsid) || lsid is not BsonDocument session ||
            Key(session) is not { } key || !_bySession.TryGetValue(key, out var sent) || Describe(started.CommandName, command) is not { } kept)
        {
            return;
        }

        sent.Add(kept);
    }

    /// <summary>What a step's history keeps of a command; null for one it does not keep.</summary>
    internal static string? Describe(string name, BsonDocument command)
    {
        var target = command.TryGetValue(name, out var value) && value.IsString ? value.AsString : null;
        if (target is not null && target.StartsWith("stepwise.", StringComparison.Ordinal))
        {
            return null; // The runner's own bookkeeping.
        }

        if (name == "findAndModify")
        {
            return $"findAndModify {target}";
        }

        if (Writes.TryGetValue(name, out var listed))
        {
            var count = command.TryGetValue(listed, out var list) && list.IsBsonArray ? list.AsBsonArray.Count : 0;
            return $"{name} {target}: {count} {(name == "insert" ? "document" : "statement")}{(count == 1 ? "" : "s")}";
        }

        if (!Definitions.Contains(name) || (name == "aggregate" && !WritesOut(command)))
        {
            return null;
        }

        var kept = new BsonDocument();
        foreach (var element in command)
        {
            if (!DriverFields.Contains(element.Name))
            {
                kept.Add(element);
            }
        }

        return kept.ToJson(new JsonWriterSettings { OutputMode = JsonOutputMode.RelaxedExtendedJson });
    }

    // An aggregation changes the database only when it ends in $out or $merge.
    private static bool WritesOut(BsonDocument command) =>
        command.TryGetValue("pipeline", out var pipeline) && pipeline.IsBsonArray &&
        pipeline.AsBsonArray.Any(static stage => stage.IsBsonDocument && (stage.AsBsonDocument.Contains("$out") || stage.AsBsonDocument.Contains("$merge")));

    private static string? Key(BsonDocument session) =>
        session.TryGetValue("id", out var id) && id.IsBsonBinaryData ? Convert.ToHexString(id.AsBsonBinaryData.Bytes) : null;

    private sealed class Watching(StepCommandLog log, string key) : IDisposable
    {
        public void Dispose() => log._bySession.TryRemove(key, out _);
    }

    private sealed class Stopped : IDisposable
    {
        public static readonly Stopped Instance = new();

        public void Dispose()
        {
        }
    }
}
