using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Narralytica.Schema.Model;
using Narralytica.Schema.Naming;
using Narralytica.Schema.Sql;
using Narralytica.Schema.Sql.Citus;

namespace Narralytica.Cli.Commands;

/// <summary>
/// <c>schema sql</c> prints the DDL; <c>schema check</c> validates schema.yaml; <c>schema queries</c> lists the
/// generated helpers schema.yaml declares, each with the index that answers it and its exact SQL.
/// </summary>
public static class SchemaCommands
{
    public static int Sql(SchemaOptions options)
    {
        var model = SchemaFile.Load(options.SchemaPath);
        var ddl = DdlEmitter.Script(model);
        if (options.Json)
            CliOutput.WriteJson(new { sql = ddl });
        else
            Console.Out.Write(ddl);
        return ExitCodes.Ok;
    }

    /// <summary>docs/schema.md (beside schema.yaml, or --out): the ER diagram and every table's columns, keys, indexes and policies.</summary>
    public static int Docs(SchemaDocsOptions options)
    {
        var schemaPath = SchemaFile.Locate(options.SchemaPath);
        var output = options.Out ?? System.IO.Path.Combine(System.IO.Path.GetDirectoryName(schemaPath)!, Narralytica.Schema.Language.SchemaDocsWriter.FileName);
        var model = SchemaFile.Load(schemaPath);
        System.IO.Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(output))!);
        System.IO.File.WriteAllText(output, Narralytica.Schema.Language.SchemaDocsWriter.Write(model));
        if (options.Json)
            CliOutput.WriteJson(new { written = output, tables = model.Tables.Count, enums = model.Enums.Count });
        else
            Console.WriteLine($"Wrote {output}: {model.Tables.Count} tables, {model.Enums.Count} enums.");
        return ExitCodes.Ok;
    }

    /// <summary>The language offline, then its SQL on PostgreSQL (<see cref="SqlCheck"/>).</summary>
    public static async Task<int> CheckAsync(SchemaCheckOptions options, System.Threading.CancellationToken cancellationToken)
    {
        var schemaPath = SchemaFile.Locate(options.SchemaPath);
        var (model, warnings) = SchemaFile.Compile(schemaPath);
        await SqlCheck.RunAsync(model, schemaPath, options.Connection);
        var tenantTables = model.Tables.Count(t => t.IsTenantScoped);
        if (options.Json)
            CliOutput.WriteJson(new { valid = true, tables = model.Tables.Count, tenantScoped = tenantTables, global = model.Tables.Count - tenantTables, enums = model.Enums.Count, warnings });
        else
            Console.WriteLine($"schema.yaml is valid: {model.Tables.Count} tables ({tenantTables} tenant-scoped, {model.Tables.Count - tenantTables} global), {model.Enums.Count} enums; PostgreSQL accepts its SQL.");
        return ExitCodes.Ok;
    }

    /// <summary>A feed page's SQL; on the Citus target its two statements (the rows, then their latest versions), one per line.</summary>
    private static string FeedSql(SchemaModel model, Table table, Feed feed)
    {
        var versioned = model.FindTable(feed.LatestOf)!;
        return model.Target == DeploymentTarget.Citus
            ? CitusReadPaths.FeedRows(table).Sql + ";\n  " + CitusReadPaths.FeedLatest(feed, versioned).Sql
            : ReadPathSql.FeedPage(table, feed, versioned).Sql;
    }

    public static int Queries(SchemaOptions options)
    {
        var model = SchemaFile.Load(options.SchemaPath);
        var helpers = new List<(string Declared, string Helper, string? Index, string Sql)>();
        foreach (var table in model.Tables)
        {
            var host = table.IsTenantScoped ? "TenantScope" : "NarralyticaDb";
            foreach (var query in table.Queries)
                helpers.Add(($"{table.Name}.{query.Name}", $"{host}.{ClrNaming.Pascal(query.Name)}Async", query.BackingIndex, ReadPathSql.Query(table, query, model.Target).Sql));
            foreach (var feed in table.Feeds)
                helpers.Add(($"{table.Name}.{feed.Name} (feed, latest of {feed.LatestOf})", $"{host}.{ClrNaming.Pascal(feed.Name)}Async",
                    table.PrimaryKey.Name, FeedSql(model, table, feed)));
        }
        if (options.Json)
        {
            CliOutput.WriteJson(new { helpers = helpers.Select(h => new { declared = h.Declared, helper = h.Helper, index = h.Index, sql = h.Sql }) });
            return ExitCodes.Ok;
        }
        foreach (var (declared, helper, index, sql) in helpers)
        {
            Console.WriteLine($"{declared} → {helper}, answered by {index}");
            Console.WriteLine($"  {sql}");
            Console.WriteLine();
        }
        Console.WriteLine(helpers.Count == 0
            ? "schema.yaml declares no queries or feeds; see 'Read paths' in docs/schema-yaml.md."
            : $"{helpers.Count} helper(s); every table also has Find<Entity>Async (its primary key) and BulkInsertAsync (binary COPY).");
        return ExitCodes.Ok;
    }
}
