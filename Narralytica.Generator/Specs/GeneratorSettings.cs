namespace Narralytica.Generator.Specs;

/// <summary>MSBuild settings the generated code depends on.</summary>
internal sealed record GeneratorSettings(string Namespace)
{
    public const string DefaultNamespace = "Narralytica.Model";
}
