using System.Collections.Generic;
using System.Linq;
using Narralytica.Schema.Diagnostics;
using Narralytica.Schema.Model;
using Narralytica.Schema.Parsing;
using Narralytica.Schema.Sql;

namespace Narralytica.Schema.Conventions;

/// <summary>How schema.yaml's <c>timestamps:</c> was written; <see cref="Default"/> when it was not.</summary>
internal enum TimestampsSetting
{
    Default,
    Both,
    None,
    CreatedOnly,
}

/// <summary>
/// What the language adds to every table so schema.yaml need not say it: the tenant column, the <c>id</c> key,
/// the timestamps, tenant-leading keys and the names of constraints and indexes. The parser reads what is
/// written; it asks here for everything the conventions decide, and every convention diagnostic is reported here.
/// </summary>
internal sealed class TableConventions
{
    public const string TenantColumn = "tenant_id";
    public const string TenantsTable = "tenants";
    public const string IdColumn = "id";
    public const string CreatedAtColumn = "created_at";
    public const string UpdatedAtColumn = "updated_at";

    private readonly List<SchemaDiagnostic> _diagnostics;

    public TableConventions(List<SchemaDiagnostic> diagnostics) => _diagnostics = diagnostics;

    /// <summary>
    /// The columns that come before the declared ones: tenant_id on a tenant-scoped table, id when no
    /// primary key is declared. Column order: tenant_id, id, declared columns, created_at, updated_at.
    /// </summary>
    public void AddLeadingColumns(TableDraft table, bool primaryKeyDeclared, SourceSpan span)
    {
        if (table.IsTenantScoped)
            table.Columns.Add(new Column(TenantColumn, PgType.Uuid, false, null, "The tenant this row belongs to.", ColumnOrigin.TenantConvention, false, span));
        if (!primaryKeyDeclared)
            table.Columns.Add(new Column(IdColumn, PgType.Uuid, false, null, "Client-generated UUIDv7; never reused.", ColumnOrigin.IdConvention, false, span));
    }

    /// <summary>Reports a declared column that a convention already added (or declared twice); true when it was reported and must be skipped.</summary>
    public bool ReportTaken(TableDraft table, string name, SourceSpan span)
    {
        var existing = table.Columns.FirstOrDefault(c => c.Name == name);
        if (existing is null)
            return false;
        if (name == TenantColumn && existing.Origin == ColumnOrigin.TenantConvention)
            _diagnostics.Add(DiagnosticCatalog.TenantColumnDeclared.At(span,
                $"table '{table.Name}' is tenant-scoped, so tenant_id (uuid, NOT NULL, referencing tenants) is added for you; remove this column"));
        else if (name == IdColumn && existing.Origin == ColumnOrigin.IdConvention)
            _diagnostics.Add(DiagnosticCatalog.DuplicateColumn.At(span,
                $"'id' (uuid primary key, a client-generated UUIDv7) is added for you; remove this column, or declare 'primary_key:' to use other key columns"));
        else
            _diagnostics.Add(DiagnosticCatalog.DuplicateColumn.At(span,
                $"column '{name}' is declared twice in table '{table.Name}' (first at line {existing.Span.Line}); keep one"));
        return true;
    }

    /// <summary>ids are UUIDv7 values the client generates: a declared id or tenant_id may not have a database default.</summary>
    public void CheckKeyDefault(string name, string where, string? defaultSql, SourceSpan defaultSpan)
    {
        if (name is IdColumn or TenantColumn && defaultSql is not null)
            _diagnostics.Add(DiagnosticCatalog.IdRule.At(defaultSpan,
                $"{where} has a default; ids are UUIDv7 values the client generates (Guid.CreateVersion7), never database defaults. Remove 'default'"));
    }

    /// <summary>created_at and updated_at as <paramref name="setting"/> asks; an append-only row is never updated, so it gets created_at only by default.</summary>
    public void AddTimestamps(TableDraft table, TimestampsSetting setting)
    {
        var (created, updated) = setting switch
        {
            TimestampsSetting.Both => (true, true),
            TimestampsSetting.None => (false, false),
            TimestampsSetting.CreatedOnly => (true, false),
            _ => (true, !table.AppendOnly),
        };
        foreach (var (name, wanted, doc) in new[] { (CreatedAtColumn, created, "When the row was created."), (UpdatedAtColumn, updated, "When the row was last changed.") })
        {
            if (!wanted)
                continue;
            var existing = table.Columns.FindIndex(c => c.Name == name);
            if (existing >= 0)
            {
                _diagnostics.Add(DiagnosticCatalog.DuplicateColumn.At(table.Columns[existing].Span,
                    $"column '{name}' is added by the timestamps convention; remove it, or write 'timestamps: false' to declare it yourself"));
                continue;
            }
            table.Columns.Add(new Column(name, PgType.TimestampTz, false, "now()", doc, ColumnOrigin.TimestampConvention, false, table.Span));
        }
    }

    /// <summary>The key columns written when <c>primary_key:</c> is not: the id convention.</summary>
    public static List<(string Name, SourceSpan Span)> ConventionalKey(SourceSpan tableSpan) => new() { (IdColumn, tableSpan) };

    public List<string> TenantLeading(TableDraft table, IList<string> columns)
        => TenantLeading(table, columns.ToList(), columns.Select(c => (c, table.Span)).ToList(), "a key");

    /// <summary>
    /// In a tenant-scoped table every key is a key within one tenant: tenant_id is put first when it
    /// is not written, and it may not be written anywhere but first.
    /// </summary>
    public List<string> TenantLeading(TableDraft table, List<string> columns, List<(string Name, SourceSpan Span)> written, string what)
    {
        if (!table.IsTenantScoped)
            return columns;
        var position = columns.IndexOf(TenantColumn);
        if (position == 0)
            return columns;
        if (position > 0)
        {
            _diagnostics.Add(DiagnosticCatalog.TenantNotLeading.At(written[position].Span,
                $"{what} of tenant-scoped table '{table.Name}' has tenant_id in position {position + 1}; tenant_id must come first. Write [{string.Join(", ", new[] { TenantColumn }.Concat(columns.Where(c => c != TenantColumn)))}] or leave tenant_id out (it is added first for you)"));
            return columns;
        }
        return new[] { TenantColumn }.Concat(columns).ToList();
    }

    /// <summary>btree (and hash) lookups must start from the tenant; GIN/GiST/BRIN cannot lead with a uuid.</summary>
    public void LeadIndexWithTenant(TableDraft table, IndexMethod method, List<IndexColumn> columns, List<(string Name, SourceSpan Span)> written, string what)
    {
        if (!table.IsTenantScoped || method != IndexMethod.Btree)
            return;
        var names = TenantLeading(table, columns.Select(c => c.Name).ToList(), written, what);
        if (names.Count > columns.Count)
            columns.Insert(0, new IndexColumn(TenantColumn, false, NullsOrder.Default));
    }

    // The names of what the conventions create, fitted to PostgreSQL's 63 bytes.
    public static string PrimaryKeyName(TableDraft table) => SqlIdentifier.Fit($"pk_{table.Name}");
    public static string UniqueName(TableDraft table, IEnumerable<string> columns) => SqlIdentifier.Fit($"uq_{table.Name}_{string.Join("_", columns)}");
    public static string CheckName(TableDraft table, string name) => SqlIdentifier.Fit($"ck_{table.Name}_{name}");
    /// <summary>The check a column's <c>max_bytes:</c> becomes (<see cref="MaxBytesCheck"/>).</summary>
    public static string MaxBytesCheckName(TableDraft table, string column) => SqlIdentifier.Fit($"ck_{table.Name}_{column}_max_bytes");
    /// <summary>Named after the written columns: tenant_id leads every tenant index, so naming it adds nothing.</summary>
    public static string IndexName(TableDraft table, IEnumerable<string> writtenColumns) => SqlIdentifier.Fit($"ix_{table.Name}_{string.Join("_", writtenColumns)}");
}
