using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace Stepwise.Runner;

/// <summary>
/// Loads migrations assemblies named on the command line, each with its own dependencies, while sharing the runner's
/// copies of Stepwise and of every library the runner itself ships (so a <c>PostgresMigration</c> is the same type on
/// both sides).
/// </summary>
internal static class MigrationAssemblyLoader
{
    private const string MarkerAttribute = "MigrationProjectAttribute";

    public static IReadOnlyList<Assembly> Load(IReadOnlyList<string> assemblies, IReadOnlyList<string> directories)
    {
        var paths = new List<string>();
        foreach (var path in assemblies)
        {
            var full = Path.GetFullPath(path);
            if (!File.Exists(full))
            {
                throw new StepwiseException(FailureKind.Usage, $"--assembly {EchoedInput.Show(path)}: no such file. Give the path of the migrations project's built .dll.");
            }

            paths.Add(full);
        }

        foreach (var directory in directories)
        {
            var full = Path.GetFullPath(directory);
            if (!Directory.Exists(full))
            {
                throw new StepwiseException(FailureKind.Usage, $"--assembly-dir {EchoedInput.Show(directory)}: no such folder.");
            }

            var found = Directory.EnumerateFiles(full, "*.dll").Where(CarriesMigrationProject).ToArray();
            if (found.Length == 0)
            {
                throw new StepwiseException(FailureKind.Usage,
                    $"--assembly-dir {EchoedInput.Show(directory)}: no assembly in it carries [assembly: MigrationProject]. Point it at the migrations project's build or publish output.");
            }

            paths.AddRange(found);
        }

        return paths.Distinct(StringComparer.Ordinal).Select(LoadOne).ToArray();
    }

    private static Assembly LoadOne(string path)
    {
        try
        {
            return new MigrationLoadContext(path).LoadFromAssemblyPath(path);
        }
        catch (Exception ex) when (ex is BadImageFormatException or FileLoadException)
        {
            throw new StepwiseException(FailureKind.Usage, $"{EchoedInput.Show(path)} is not a .NET assembly this runner can load ({ex.Message}).");
        }
    }

    // Reads the attribute table without loading the assembly, so a folder of dependencies is cheap to scan.
    private static bool CarriesMigrationProject(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            using var pe = new PEReader(stream);
            if (!pe.HasMetadata)
            {
                return false;
            }

            var metadata = pe.GetMetadataReader();
            foreach (var handle in metadata.GetAssemblyDefinition().GetCustomAttributes())
            {
                var constructor = metadata.GetCustomAttribute(handle).Constructor;
                var typeName = constructor.Kind switch
                {
                    HandleKind.MemberReference => metadata.GetMemberReference((MemberReferenceHandle)constructor).Parent is { Kind: HandleKind.TypeReference } parent
                        ? metadata.GetString(metadata.GetTypeReference((TypeReferenceHandle)parent).Name)
                        : null,
                    HandleKind.MethodDefinition => metadata.GetString(metadata.GetTypeDefinition(metadata.GetMethodDefinition((MethodDefinitionHandle)constructor).GetDeclaringType()).Name),
                    _ => null,
                };
                if (typeName == MarkerAttribute)
                {
                    return true;
                }
            }

            return false;
        }
        catch (BadImageFormatException)
        {
            return false;
        }
    }
}
