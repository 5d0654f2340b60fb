using System;
using System.Linq;
using Narralytica.Schema.Model;
using Narralytica.Schema.Sql;

namespace Narralytica.Schema.Migrations;

/// <summary>
/// The publications of the change streams. A removed stream's publication is dropped first (before any table it names
/// goes); a new one is created, and a changed one gets its new table list, once every table exists under its new
/// name. A publication follows its tables through renames (it holds them by oid), so a rename alone changes nothing.
/// </summary>
public sealed partial class SchemaDiffer
{
    private void DiffStreams()
    {
        var oldStreams = _from.Streams.ToDictionary(s => s.Name, StringComparer.Ordinal);
        var newNames = new System.Collections.Generic.HashSet<string>(_to.Streams.Select(s => s.Name), StringComparer.Ordinal);
        foreach (var old in _from.Streams.Where(s => !newNames.Contains(s.Name)))
        {
            Emit(Phase.DropPublications, StreamSql.Drop(old.Name));
            // No row is lost: a slot still reading the publication fails on its next change, with an error that says so.
            Change(ChangeDescriptions.DropStream(old), new SourceSpan(1, 1));
        }
        foreach (var stream in _to.Streams)
        {
            if (!oldStreams.TryGetValue(stream.Name, out var old))
            {
                Emit(Phase.Publications, StreamSql.Create(stream));
                Change(ChangeDescriptions.CreateStream(stream), stream.Span);
            }
            else if (!SameTables(old.Tables.Select(_renames.NewTableName), stream.Tables))
            {
                Emit(Phase.Publications, StreamSql.SetTables(stream));
                Change(ChangeDescriptions.ChangeStreamTables(stream), stream.Span);
            }
            if (old is not null && old.Doc != stream.Doc)
            {
                Emit(Phase.Publications, StreamSql.Comment(stream));
                Change(ChangeDescriptions.ChangeStreamDoc(stream), stream.Span);
            }
        }
    }

    /// <summary>A publication's tables are a set: the catalog lists them in its own order, schema.yaml in the writer's.</summary>
    private static bool SameTables(System.Collections.Generic.IEnumerable<string> a, System.Collections.Generic.IEnumerable<string> b)
        => new System.Collections.Generic.SortedSet<string>(a, StringComparer.Ordinal).SetEquals(b);
}
