using System.Text;

namespace Stepwise.PostgreSql.Internal;

/// <summary>
/// The advisory lock key of a project: FNV-1a (64-bit) of <c>stepwise:{project}</c>. Stable across runner versions,
/// machines and PostgreSQL versions (unlike <c>hashtext</c>), so runners of different releases exclude each other.
/// </summary>
internal static class AdvisoryLockKey
{
    public static long For(string project)
    {
        const ulong offset = 14695981039346656037;
        const ulong prime = 1099511628211;
        var hash = offset;
        foreach (var b in Encoding.UTF8.GetBytes("stepwise:" + project))
        {
            hash ^= b;
            hash *= prime;
        }

        return unchecked((long)hash);
    }
}
