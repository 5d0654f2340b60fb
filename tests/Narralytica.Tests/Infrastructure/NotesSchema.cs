using Narralytica.Schema.Model;
using Narralytica.Tests.Migrations;

namespace Narralytica.Tests.Infrastructure;

/// <summary>The smallest schema with a global and a tenant table (tenants, notes): what the DDL and the differ do to one tenant table.</summary>
public static class NotesSchema
{
    public static string Text(bool appendOnly = false) => $$"""
        tables:
          tenants:
            scope: global
            columns: {slug: text}
          notes:
            scope: tenant
            append_only: {{(appendOnly ? "true" : "false")}}
            timestamps: created
            columns: {body: text}
        """;

    public static SchemaModel Compile(bool appendOnly = false) => SchemaWorkspace.Compile(Text(appendOnly));

    /// <summary>The same without notes: what a migration adding or dropping the tenant table starts or ends at.</summary>
    public static SchemaModel WithoutNotes() => SchemaWorkspace.Compile("tables:\n  tenants:\n    scope: global\n    columns: {slug: text}\n");
}
