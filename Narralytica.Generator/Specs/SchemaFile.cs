using Narralytica.Schema;

namespace Narralytica.Generator.Specs;

/// <summary>schema.yaml as the generator received it: its path and what it compiled to.</summary>
internal sealed record CompiledSchemaFile(string Path, string Text, SchemaCompilation Compilation);
