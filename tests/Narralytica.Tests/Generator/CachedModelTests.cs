using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Narralytica.Generator;
using Narralytica.Tests.Infrastructure;
using Xunit;

namespace Narralytica.Tests.Generator;

/// <summary>
/// What the generator caches between runs: plain equatable data only. A symbol, a syntax node, a compilation,
/// a semantic model or a location held in a step's output would keep a whole compilation alive and break
/// the caching (they are never equal across runs), so every value reachable from every tracked step is walked.
/// </summary>
public sealed class CachedModelTests
{
    private static readonly Type[] Banned =
    {
        typeof(ISymbol), typeof(SyntaxNode), typeof(Compilation), typeof(SemanticModel), typeof(Location),
    };

    internal static readonly string[] Steps =
    {
        TrackingNames.CompiledSchema, TrackingNames.SchemaFiles, TrackingNames.Settings, TrackingNames.Model,
        TrackingNames.Entities, TrackingNames.Migrations, TrackingNames.PendingChanges, TrackingNames.Queue,
        TrackingNames.Checkpoints,
    };

    [Fact]
    public void No_cached_step_holds_a_symbol_syntax_compilation_or_location()
    {
        var (driver, _, _) = GeneratorHarness.Run(RepositoryFiles.SchemaText);
        var steps = driver.GetRunResult().Results.Single().TrackedSteps;

        var walked = 0;
        foreach (var name in Steps)
        {
            Assert.True(steps.ContainsKey(name), $"step {name} was not tracked");
            foreach (var output in steps[name].SelectMany(s => s.Outputs))
                walked += Walk(output.Value, $"{name}", new HashSet<object>(ReferenceEqualityComparer.Instance));
        }
        Assert.True(walked > 1000, $"only {walked} values were walked: the walk does not reach into the specs");
    }

    [Fact]
    public void The_walk_finds_a_banned_value_however_deep()
    {
        var compilation = CSharpCompilation.Create("Probe");
        var nested = new { Outer = new List<object> { 1, new Dictionary<string, object> { ["key"] = (Tuple.Create("x", (object)compilation)) } } };
        var error = Assert.ThrowsAny<Exception>(() => Walk(nested, "probe", new HashSet<object>(ReferenceEqualityComparer.Instance)));
        Assert.Contains("Compilation", error.Message);
    }

    [Fact]
    public void Adding_an_unrelated_file_leaves_every_tracked_step_cached()
    {
        var compilation = GeneratorHarness.RuntimeCompilation();
        var driver = GeneratorHarness.CreateDriver(new InMemoryAdditionalText("/repo/schema.yaml", RepositoryFiles.SchemaText)).RunGenerators(compilation);
        driver = driver.AddAdditionalTexts(System.Collections.Immutable.ImmutableArray.Create<AdditionalText>(new InMemoryAdditionalText("/repo/docs/notes.md", "# notes\n")));
        driver = driver.RunGenerators(compilation);

        var steps = driver.GetRunResult().Results.Single().TrackedSteps;
        foreach (var name in Steps)
        {
            var reasons = steps[name].SelectMany(s => s.Outputs).Select(o => o.Reason).ToList();
            Assert.NotEmpty(reasons);
            Assert.All(reasons, r => Assert.True(r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"{name}: {r}"));
        }
    }

    /// <summary>Visits <paramref name="value"/> and everything its fields reach; returns how many values it visited.</summary>
    private static int Walk(object? value, string path, HashSet<object> seen)
    {
        if (value is null)
            return 0;
        var type = value.GetType();
        if (Banned.FirstOrDefault(b => b.IsAssignableFrom(type)) is { } banned)
            throw new InvalidOperationException($"{path} holds a {banned.Name} ({type.FullName}); cache plain data instead");
        if (type.IsPrimitive || type.IsEnum || value is string or decimal or DateTime or DateTimeOffset or Guid or TimeSpan)
            return 1;
        if (!type.IsValueType && !seen.Add(value))
            return 0;
        if (value is Delegate or Type or MemberInfo)
            throw new InvalidOperationException($"{path} holds a {type.FullName}; cache plain data instead");
        var count = 1;
        if (value is IEnumerable items)
        {
            var i = 0;
            foreach (var item in items)
                count += Walk(item, $"{path}[{i++}]", seen);
        }
        for (var t = type; t is not null && t != typeof(object); t = t.BaseType)
            foreach (var field in t.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
                count += Walk(field.GetValue(value), $"{path}.{Name(field)}", seen);
        return count;
    }

    /// <summary>A record's backing field as its property's name.</summary>
    private static string Name(FieldInfo field)
        => field.IsDefined(typeof(CompilerGeneratedAttribute)) && field.Name.StartsWith('<') ? field.Name[1..field.Name.IndexOf('>')] : field.Name;
}
