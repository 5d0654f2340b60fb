using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Threading;

namespace Narralytica.Runtime;

/// <summary>
/// The schema the runtime serves in this process. The generated layer registers its binding when its assembly loads
/// (a module initializer). When the runtime is used before anything of that assembly (the layer in a library the
/// application has not touched yet, as a worker process that only runs the queue), the runtime looks for it among the
/// assemblies built on the runtime and the assemblies they reference, and has it register. An application may also
/// register it itself: <c>SchemaBindings.Register(NarralyticaSchemaBinding.Instance)</c>.
/// </summary>
public static class SchemaBindings
{
    private static ISchemaBinding? _current;

    /// <summary>Makes <paramref name="binding"/> the schema of this process; registering the same schema again does nothing.</summary>
    /// <exception cref="InvalidOperationException">Another schema is already registered: one process serves one schema.</exception>
    public static void Register(ISchemaBinding binding)
    {
        ArgumentNullException.ThrowIfNull(binding);
        var previous = Interlocked.CompareExchange(ref _current, binding, null);
        if (previous is not null && previous.GetType() != binding.GetType())
            throw new InvalidOperationException(
                $"Two generated data layers registered their schema ({previous.GetType().FullName} and {binding.GetType().FullName}); " +
                "the runtime serves one schema per process. Keep one project with schema.yaml and Narralytica.Generator.");
    }

    /// <summary>The registered schema.</summary>
    /// <exception cref="InvalidOperationException">No generated data layer is registered, nor found among the assemblies built on the runtime.</exception>
    public static ISchemaBinding Current => _current ?? FindGeneratedLayer() ?? throw new InvalidOperationException(
        "No schema is registered with the Narralytica runtime, and no assembly built on it registers one when loaded. The project that " +
        "compiles schema.yaml with Narralytica.Generator registers its NarralyticaSchemaBinding when its assembly loads: reference that " +
        "project, or call SchemaBindings.Register(NarralyticaSchemaBinding.Instance) (in that project's namespace) first.");

    /// <summary>
    /// Runs the module initializer of each assembly built on the runtime — those loaded, the entry assembly, and the ones
    /// they reference — until one registers its schema.
    /// </summary>
    private static ISchemaBinding? FindGeneratedLayer()
    {
        var runtime = typeof(SchemaBindings).Assembly.GetName().Name;
        bool BuiltOnRuntime(Assembly assembly) => assembly.GetReferencedAssemblies().Any(r => r.Name == runtime);
        var roots = AppDomain.CurrentDomain.GetAssemblies().Append(Assembly.GetEntryAssembly()).OfType<Assembly>()
            .Where(BuiltOnRuntime).Distinct().ToList();
        foreach (var assembly in roots.Concat(roots.SelectMany(Referenced).Where(BuiltOnRuntime)))
        {
            RuntimeHelpers.RunModuleConstructor(assembly.ManifestModule.ModuleHandle);
            if (_current is { } found)
                return found;
        }
        return null;
    }

    private static IEnumerable<Assembly> Referenced(Assembly assembly)
    {
        foreach (var name in assembly.GetReferencedAssemblies())
        {
            Assembly? loaded = null;
            try
            {
                loaded = Assembly.Load(name);
            }
            catch (Exception e) when (e is FileNotFoundException or FileLoadException or BadImageFormatException)
            {
                // A reference the application does not ship (compile-time only): nothing to find there.
            }
            if (loaded is not null)
                yield return loaded;
        }
    }
}
