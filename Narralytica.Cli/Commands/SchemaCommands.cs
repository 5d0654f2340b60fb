using System;
using System.Linq;
using System.Threading.Tasks;
using Narralytica.Schema.Naming;
using Narralytica.Schema.Sql;

namespace Narralytica.Cli.Commands;

/// <summary>
/// <c>schema sql</c> prints the DDL; <c>schema check</c> validates schema.yaml; <c>schema queries</c> lists the
/// generated helpers schema.yaml declares, each with the index that answers it and its exact SQL.
/// </summary>
public static class SchemaCommands
{
    public static int Sql(Arguments arguments)
    {
        var model = SchemaFile.Load(arguments.Option("--schema"));
        arguments.EnsureAllUsed();
        Console.Out.Write(DdlEmitter.Script(model));
        return ExitCodes.Ok;
    }

    /// <summary>docs/schema.md (beside schema.yaml, or --out): the ER diagram and every table's columns, keys, indexes and policies.</summary>
    public static int Docs(Arguments arguments)
    {
        var schemaPath = SchemaFile.Locate(arguments.Option("--schema"));
        var output = arguments.Option("--out") ?? System.IO.Path.Combine(System.IO.Path.GetDirectoryName(schemaPath)!, Narralytica.Schema.Language.SchemaDocsWriter.FileName);
        var model = SchemaFile.Load(schemaPath);
        arguments.EnsureAllUsed();
        System.IO.Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(output))!);
        System.IO.File.WriteAllText(output, Narralytica.Schema.Language.SchemaDocsWriter.Write(model));
        Console.WriteLine($"Wrote {output}: {model.Tables.Count} tables, {model.Enums.Count} enums.");
        return ExitCodes.Ok;
    }

    /// <summary>The language offline, then its SQL on PostgreSQL (<see cref="SqlCheck"/>).</summary>
    public static async Task<int> CheckAsync(Arguments arguments)
    {
        var schemaPath = SchemaFile.Locate(arguments.Option("--schema"));
        var connectionOption = arguments.Option("--connection");
        arguments.EnsureAllUsed();
        var model = SchemaFile.Load(schemaPath);
        await SqlCheck.RunAsync(model, schemaPath, connectionOption);
        var tenantTables = model.Tables.Count(t => t.IsTenantScoped);
        Console.WriteLine($"schema.yaml is valid: {model.Tables.Count} tables ({tenantTables} tenant-scoped, {model.Tables.Count - tenantTables} global), {model.Enums.Count} enums; PostgreSQL accepts its SQL.");
        return ExitCodes.Ok;
    }

    public static int Queries(Arguments arguments)
    {
        var model = SchemaFile.Load(arguments.Option("--schema"));
        arguments.EnsureAllUsed();
        var count = 0;
        foreach (var table in model.Tables)
        {
            var host = table.IsTenantScoped ? "TenantScope" : "NarralyticaDb";
            foreach (var query in table.Queries)
                Print(ref count, $"{table.Name}.{query.Name}", $"{host}.{ClrNaming.Pascal(query.Name)}Async", query.BackingIndex, ReadPathSql.Query(table, query).Sql);
            foreach (var feed in table.Feeds)
                Print(ref count, $"{table.Name}.{feed.Name} (feed, latest of {feed.LatestOf})", $"{host}.{ClrNaming.Pascal(feed.Name)}Async",
                    table.PrimaryKey.Name, ReadPathSql.FeedPage(table, feed, model.FindTable(feed.LatestOf)!).Sql);
        }
        Console.WriteLine(count == 0
            ? "schema.yaml declares no queries or feeds; see 'Read paths' in the README."
            : $"{count} helper(s); every table also has Find<Entity>Async (its primary key) and BulkInsertAsync (binary COPY).");
        return ExitCodes.Ok;
    }

    private static void Print(ref int count, string declared, string helper, string? index, string sql)
    {
        count++;
        Console.WriteLine($"{declared} → {helper}, answered by {index}");
        Console.WriteLine($"  {sql}");
        Console.WriteLine();
    }
}
