using System.Reflection;
using System.Reflection.Emit;
using Stepwise.Core.Tests.TestMigrations;

namespace Stepwise.Core.Tests.Catalog;

/// <summary>
/// An in-memory migrations assembly compiled without the Stepwise generator, so without checksums: what a team gets
/// when its build does not load the Stepwise compiler extensions.
/// </summary>
internal static class AssemblyWithoutManifest
{
    /// <param name="manifest">What a hand-written <c>[assembly: MigrationManifest]</c> names, if anything.</param>
    public static Assembly Create(Type? manifest = null)
    {
        var assembly = AssemblyBuilder.DefineDynamicAssembly(new AssemblyName("Unchecked"), AssemblyBuilderAccess.Run);
        assembly.SetCustomAttribute(new CustomAttributeBuilder(
            typeof(MigrationProjectAttribute).GetConstructor([typeof(string)])!, ["unchecked"]));
        if (manifest is not null)
        {
            assembly.SetCustomAttribute(new CustomAttributeBuilder(typeof(MigrationManifestAttribute).GetConstructor([typeof(Type)])!, [manifest]));
        }

        var module = assembly.DefineDynamicModule("Unchecked");

        var migration = DefineMigration(module, "Unchecked.AddOrders");
        migration.SetCustomAttribute(new CustomAttributeBuilder(
            typeof(MigrationAttribute).GetConstructor([typeof(string), typeof(int)])!, ["1.0.0", 1]));
        migration.CreateType();
        DefineMigration(module, "Unchecked.Forgotten").CreateType();
        return assembly;
    }

    // public sealed class {name} : Migration<ThingsContext> { public override Task Up(...) => Task.CompletedTask; }
    private static TypeBuilder DefineMigration(ModuleBuilder module, string name)
    {
        var type = module.DefineType(name, TypeAttributes.Public | TypeAttributes.Sealed | TypeAttributes.Class, typeof(Migration<ThingsContext>));
        var up = type.DefineMethod(
            "Up",
            MethodAttributes.Public | MethodAttributes.Virtual | MethodAttributes.HideBySig,
            typeof(Task),
            [typeof(ThingsContext), typeof(CancellationToken)]);
        var il = up.GetILGenerator();
        il.Emit(OpCodes.Call, typeof(Task).GetProperty(nameof(Task.CompletedTask))!.GetMethod!);
        il.Emit(OpCodes.Ret);
        type.DefineMethodOverride(up, typeof(Migration<ThingsContext>).GetMethod("Up")!);
        type.DefineDefaultConstructor(MethodAttributes.Public);
        return type;
    }
}
