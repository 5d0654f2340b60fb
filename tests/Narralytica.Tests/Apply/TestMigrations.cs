using System.Collections.Generic;
using System.IO;
using System.Linq;
using Narralytica.Cli.Commands;
using Narralytica.Model;
using Narralytica.Runtime;
using Narralytica.Schema.Migrations;
using Narralytica.Tests.Infrastructure;

namespace Narralytica.Tests.Apply;

/// <summary>Migration sets for apply tests: the repository's, or small hand-written ones.</summary>
public static class TestMigrations
{
    /// <summary>The repository's migrations folder, read from disk.</summary>
    public static IReadOnlyList<SchemaMigration> Repository()
        => MigrationsFolder.ToSchemaMigrations(MigrationSet.From(Directory.GetFiles(Path.Combine(RepositoryFiles.Root, "migrations"))
            .Select(f => (Path.GetFileName(f), File.ReadAllText(f)))).Migrations);

    /// <summary>Migrations 1, 2, … from SQL texts; a text starting with the transaction directive runs outside a transaction.</summary>
    public static IReadOnlyList<SchemaMigration> Of(params string[] texts)
        => MigrationsFolder.ToSchemaMigrations(texts.Select((text, i) => MigrationFile.Read(MigrationFile.FileNameFor(i + 1, "step_" + (i + 1)), text)).ToList());

    public const string NoTransaction = MigrationFile.TransactionDirective + "\n";
}
