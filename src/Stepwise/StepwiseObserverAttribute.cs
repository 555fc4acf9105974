using System.Diagnostics.CodeAnalysis;

namespace Stepwise;

/// <summary>
/// Names a class of this assembly that the runner registers as an audit sink (<c>IAuditSink</c>) or a run observer
/// (<c>IRunObserver</c>), or both. The Stepwise generator writes one for every class that lists either interface among
/// its bases, so that a team's own sink runs in every runner built from its migrations project, Native AOT images
/// included, without the runner scanning the assembly.
/// </summary>
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = true)]
public sealed class StepwiseObserverAttribute : Attribute
{
    /// <summary>Names the class.</summary>
    /// <param name="observer">The class; the runner creates one instance through dependency injection.</param>
    public StepwiseObserverAttribute([DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] Type observer) => Observer = observer;

    /// <summary>The class.</summary>
    [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)]
    public Type Observer { get; }
}
