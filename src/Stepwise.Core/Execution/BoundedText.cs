namespace Stepwise.Execution;

/// <summary>Text held to a length: what is cut ends in an ellipsis, so a reader sees that it was cut.</summary>
internal static class BoundedText
{
    /// <summary><paramref name="text"/> as it is when it fits in <paramref name="max"/> characters, else its start and <c>…</c>, <paramref name="max"/> in all.</summary>
    public static string Cut(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";
}
