using System.Diagnostics.CodeAnalysis;

namespace Stepwise;

/// <summary>
/// Names a database engine. An engine package declares its own (<c>[assembly: StepwiseEngine(typeof(PostgresEngine))]</c>);
/// the Stepwise generator repeats it in every assembly that references the package, so that a runner finds the engines of
/// its migrations without scanning references (which a Native AOT runner cannot do).
/// </summary>
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = true)]
public sealed class StepwiseEngineAttribute : Attribute
{
    /// <summary>Names the engine.</summary>
    /// <param name="engine">The engine class; the runner creates it through dependency injection.</param>
    public StepwiseEngineAttribute([DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] Type engine) => Engine = engine;

    /// <summary>The engine class.</summary>
    [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)]
    public Type Engine { get; }
}
