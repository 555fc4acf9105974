using Stepwise.Configuration;

namespace Stepwise.Execution;

/// <summary>How a session talks to the database.</summary>
/// <param name="Endpoint">Where the database is.</param>
/// <param name="CommandTimeout">Limit for each migration statement; <c>null</c> means none.</param>
/// <param name="ApplicationName">Shown in the database's session list, so a DBA can tell what holds a lock.</param>
public sealed record SessionOptions(DatabaseEndpoint Endpoint, TimeSpan? CommandTimeout = null, string ApplicationName = "stepwise")
{
    /// <summary>
    /// The environment's profile: an engine refuses, before it connects, a connection less protected than the profile's
    /// <see cref="EnvironmentProfile.RequireTls"/>.
    /// </summary>
    public EnvironmentProfile Profile { get; init; } = EnvironmentProfile.None;
}
