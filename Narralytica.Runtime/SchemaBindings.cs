using System;
using System.Threading;

namespace Narralytica.Runtime;

/// <summary>
/// The schema the runtime serves in this process. The generated layer registers its binding when its assembly loads
/// (a module initializer), so an application only calls <see cref="Register"/> itself when the runtime is used before
/// anything of the generated layer was touched (for instance, the generated layer in a library the entry point does
/// not name first): <c>SchemaBindings.Register(NarralyticaSchemaBinding.Instance)</c>.
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
    /// <exception cref="InvalidOperationException">No generated data layer has registered its schema yet.</exception>
    public static ISchemaBinding Current => _current ?? throw new InvalidOperationException(
        "No schema is registered with the Narralytica runtime. The project that compiles schema.yaml with Narralytica.Generator " +
        "registers its NarralyticaSchemaBinding when its assembly loads; if the runtime is used before anything of that project, " +
        "call SchemaBindings.Register(NarralyticaSchemaBinding.Instance) first (in that project's namespace).");
}
