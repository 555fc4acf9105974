using System.CommandLine;
using System.Globalization;
using Stepwise.Execution;

namespace Stepwise.Hosting.Cli;

/// <summary>The <c>audit</c> command's filters, checked before any database work.</summary>
internal static class AuditFilters
{
    private const int ShortestRunIdPrefix = 8;

    private static readonly string[] TimeFormats =
    [
        "yyyy-MM-dd", "yyyy-MM-ddTHH:mm", "yyyy-MM-ddTHH:mm:ss", "yyyy-MM-ddTHH:mmK", "yyyy-MM-ddTHH:mm:ssK", "yyyy-MM-ddTHH:mm:ss.FFFFFFFK",
        "yyyy-MM-dd HH:mm", "yyyy-MM-dd HH:mm:ss",
    ];

    /// <exception cref="StepwiseException">A filter is not what it should be (kind <see cref="FailureKind.Usage"/>).</exception>
    public static AuditQuery From(ParseResult parse, CliOptions options, string? project, string? environment, TimeProvider time) =>
        new(parse.GetValue(options.Limit))
        {
            Project = project,
            Environment = environment,
            Since = parse.GetValue(options.Since) is { } since ? Since(since, time.GetUtcNow()) : null,
            Outcome = parse.GetValue(options.Outcome),
            RunId = parse.GetValue(options.RunId) is { } run ? RunId(run) : null,
        };

    /// <summary>A moment (UTC unless the text gives an offset), or a time ago: 90m, 24h, 7d.</summary>
    public static DateTimeOffset Since(string text, DateTimeOffset now)
    {
        var trimmed = text.Trim();
        if (trimmed.Length > 1 && trimmed[^1] is 'm' or 'h' or 'd' or 'w'
            && int.TryParse(trimmed[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var count) && count <= 100_000)
        {
            var unit = trimmed[^1] switch { 'm' => TimeSpan.FromMinutes(1), 'h' => TimeSpan.FromHours(1), 'd' => TimeSpan.FromDays(1), _ => TimeSpan.FromDays(7) };
            return now - unit * count;
        }

        if (DateTimeOffset.TryParseExact(trimmed, TimeFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var moment))
        {
            return moment.ToUniversalTime(); // Npgsql takes only UTC for timestamptz.
        }

        throw new StepwiseException(FailureKind.Usage,
            $"--since: '{EchoedInput.Show(text)}' is neither a time (2026-11-30, 2026-11-30T08:00Z) nor a time ago (90m, 24h, 7d, 2w).");
    }

    /// <summary>A whole run id, or its first hexadecimal digits (at least 8), in lower case.</summary>
    public static string RunId(string text)
    {
        var trimmed = text.Trim().ToLowerInvariant();
        if (Guid.TryParse(trimmed, out var whole))
        {
            return whole.ToString();
        }

        if (trimmed.Length is >= ShortestRunIdPrefix and < 36 && trimmed.All(static c => char.IsAsciiHexDigitLower(c) || c == '-') && !trimmed.StartsWith('-'))
        {
            return trimmed;
        }

        throw new StepwiseException(FailureKind.Usage,
            $"--run-id: '{EchoedInput.Show(text)}' is not a run id: give the whole id or at least its first {ShortestRunIdPrefix} digits, as 'audit' and 'history' show them.");
    }
}
