using System.Collections.Generic;
using Narralytica.Schema.Model;

namespace Narralytica.Schema.Parsing;

/// <summary>A table while it is being read: references are resolved once every table is known.</summary>
internal sealed class TableDraft
{
    public TableDraft(string name, SourceSpan span)
    {
        Name = name;
        Span = span;
    }

    public string Name { get; }
    public SourceSpan Span { get; }
    public TableScope? Scope { get; set; }

    /// <summary>A scope was written, even if not a valid one (already reported): the table is not "without a scope".</summary>
    public bool ScopeWritten { get; set; }
    public string? Doc { get; set; }
    public string? EntityName { get; set; }
    public bool AppendOnly { get; set; }

    /// <summary><c>queue:</c> (true, or a mapping naming its columns): workers claim its rows across tenants.</summary>
    public QueueDeclaration? Queue { get; set; }

    /// <summary><c>checkpoints:</c> (true, or a mapping naming its columns): the pipeline stages' checkpoints are kept here.</summary>
    public CheckpointDeclaration? Checkpoints { get; set; }
    public bool Quoted { get; set; }
    public string? RenamedFrom { get; set; }
    public List<Column> Columns { get; } = new();
    public PrimaryKey? PrimaryKey { get; set; }
    public List<UniqueConstraint> Uniques { get; } = new();
    public List<CheckConstraint> Checks { get; } = new();
    public List<Index> Indexes { get; } = new();
    public List<ReferenceDraft> References { get; } = new();
    public Versioning? Versions { get; set; }
    public List<NamedQuery> Queries { get; } = new();
    public List<Feed> Feeds { get; } = new();

    public bool IsTenantScoped => Scope == TableScope.Tenant;
}

/// <summary>A column's <c>references:</c> as written, before the target table is known.</summary>
internal sealed record ReferenceDraft(string Column, string Table, string? TargetColumn, OnDelete OnDelete, SourceSpan Span);
