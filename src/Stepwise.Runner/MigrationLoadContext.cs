using System.Reflection;
using System.Runtime.Loader;

namespace Stepwise.Runner;

/// <summary>
/// The load context of one migrations assembly: its own dependencies come from its folder (per its .deps.json), while
/// anything the runner already ships resolves to the runner's copy.
/// </summary>
internal sealed class MigrationLoadContext : AssemblyLoadContext
{
    private static readonly HashSet<string> RunnerAssemblies = ((AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") as string) ?? "")
        .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
        .Select(Path.GetFileNameWithoutExtension)
        .OfType<string>()
        .ToHashSet(StringComparer.OrdinalIgnoreCase);

    private readonly AssemblyDependencyResolver _resolver;
    private readonly string _directory;

    public MigrationLoadContext(string path)
        : base(Path.GetFileNameWithoutExtension(path))
    {
        _resolver = new AssemblyDependencyResolver(path);
        _directory = Path.GetDirectoryName(path)!;
    }

    protected override Assembly? Load(AssemblyName assemblyName)
    {
        if (assemblyName.Name is null || RunnerAssemblies.Contains(assemblyName.Name))
        {
            return null;
        }

        var path = _resolver.ResolveAssemblyToPath(assemblyName) ?? Probe(assemblyName.Name);
        return path is null ? null : LoadFromAssemblyPath(path);
    }

    protected override IntPtr LoadUnmanagedDll(string unmanagedDllName)
    {
        var path = _resolver.ResolveUnmanagedDllToPath(unmanagedDllName);
        return path is null ? IntPtr.Zero : LoadUnmanagedDllFromPath(path);
    }

    private string? Probe(string name)
    {
        var candidate = Path.Combine(_directory, name + ".dll");
        return File.Exists(candidate) ? candidate : null;
    }
}
