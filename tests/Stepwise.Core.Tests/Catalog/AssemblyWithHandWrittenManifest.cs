using System.Reflection;
using System.Reflection.Emit;

namespace Stepwise.Core.Tests.Catalog;

/// <summary>
/// An in-memory assembly whose manifest is written by hand: its records say whatever a test needs, and its
/// <c>Resolve</c> names one class for every record, so a test can see when, and whether, discovery loads it.
/// </summary>
internal static class AssemblyWithHandWrittenManifest
{
    /// <param name="records">The manifest's records, in the generator's format.</param>
    /// <param name="resolved">What <c>Resolve</c> returns for every index.</param>
    public static Assembly Create(string records, Type resolved)
    {
        // [assembly: MigrationManifest(typeof(...))] names a class of this assembly, which the runtime finds by name: each
        // assembly gets its own name, and is handed over when asked for.
        var name = "HandWritten" + Interlocked.Increment(ref _created).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var assembly = AssemblyBuilder.DefineDynamicAssembly(new AssemblyName(name), AssemblyBuilderAccess.Run);
        AppDomain.CurrentDomain.AssemblyResolve += (_, request) => request.Name == assembly.FullName ? assembly : null;
        assembly.SetCustomAttribute(new CustomAttributeBuilder(typeof(MigrationProjectAttribute).GetConstructor([typeof(string)])!, ["hand-written"]));
        var module = assembly.DefineDynamicModule(name);

        // public sealed class Manifest : MigrationManifest { public Manifest() : base(records) {} public override Type Resolve(int index) => resolved; }
        var manifest = module.DefineType("HandWritten.Manifest", TypeAttributes.Public | TypeAttributes.Sealed | TypeAttributes.Class, typeof(MigrationManifest));
        var constructor = manifest.DefineConstructor(MethodAttributes.Public, CallingConventions.Standard, Type.EmptyTypes).GetILGenerator();
        constructor.Emit(OpCodes.Ldarg_0);
        constructor.Emit(OpCodes.Ldstr, records);
        constructor.Emit(OpCodes.Call, typeof(MigrationManifest).GetConstructor(BindingFlags.NonPublic | BindingFlags.Instance, [typeof(string)])!);
        constructor.Emit(OpCodes.Ret);

        var baseResolve = typeof(MigrationManifest).GetMethod("Resolve", BindingFlags.Public | BindingFlags.Instance)!;
        var resolve = manifest.DefineMethod("Resolve", MethodAttributes.Public | MethodAttributes.Virtual | MethodAttributes.HideBySig, typeof(Type), [typeof(int)]);
        var il = resolve.GetILGenerator();
        il.Emit(OpCodes.Ldtoken, resolved);
        il.Emit(OpCodes.Call, typeof(Type).GetMethod(nameof(Type.GetTypeFromHandle))!);
        il.Emit(OpCodes.Ret);
        manifest.DefineMethodOverride(resolve, baseResolve);

        assembly.SetCustomAttribute(new CustomAttributeBuilder(typeof(MigrationManifestAttribute).GetConstructor([typeof(Type)])!, [manifest.CreateType()]));
        return assembly;
    }

    private static int _created;
}
