using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;

namespace Stepwise;

/// <summary>
/// Names the manifest the Stepwise generator writes into a migrations assembly. Not written by hand.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = false)]
public sealed class MigrationManifestAttribute : Attribute
{
    /// <summary>Names the manifest class.</summary>
    public MigrationManifestAttribute([DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)] Type manifest) =>
        Manifest = manifest;

    /// <summary>The generated class, derived from <see cref="MigrationManifest"/>.</summary>
    [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)]
    public Type Manifest { get; }
}
