using System;
using System.Linq;
using Narralytica.Schema.Sql;

namespace Narralytica.Cli.Commands;

/// <summary><c>schema sql</c> prints the DDL; <c>schema check</c> validates schema.yaml.</summary>
public static class SchemaCommands
{
    public static int Sql(Arguments arguments)
    {
        var model = SchemaFile.Load(arguments.Option("--schema"));
        arguments.EnsureAllUsed();
        Console.Out.Write(DdlEmitter.Script(model));
        return ExitCodes.Ok;
    }

    public static int Check(Arguments arguments)
    {
        var model = SchemaFile.Load(arguments.Option("--schema"));
        arguments.EnsureAllUsed();
        var tenantTables = model.Tables.Count(t => t.IsTenantScoped);
        Console.WriteLine($"schema.yaml is valid: {model.Tables.Count} tables ({tenantTables} tenant-scoped, {model.Tables.Count - tenantTables} global), {model.Enums.Count} enums.");
        return ExitCodes.Ok;
    }
}
