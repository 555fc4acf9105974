using System.Globalization;

namespace Stepwise.Reliability.Drill;

/// <summary>How long each step of the drill waits on the server, from DRILL_PAUSE_SECONDS (default: not at all).</summary>
internal static class Pause
{
    private static readonly double Seconds =
        double.TryParse(Environment.GetEnvironmentVariable("DRILL_PAUSE_SECONDS"), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) ? seconds : 0;

    /// <summary>A statement that waits the pause on the server (the runner is then inside the step, as a long statement keeps it).</summary>
    public static string Sql { get; } = $"SELECT pg_sleep({Seconds.ToString(CultureInfo.InvariantCulture)})";
}
