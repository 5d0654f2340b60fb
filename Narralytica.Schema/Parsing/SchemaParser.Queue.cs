using System.Collections.Generic;
using System.Linq;
using Narralytica.Schema.Diagnostics;
using Narralytica.Schema.Model;
using Narralytica.Schema.Yaml;
using static Narralytica.Schema.Language.SchemaVocabulary;

namespace Narralytica.Schema.Parsing;

internal sealed partial class SchemaParser
{
    /// <summary>
    /// <c>queue:</c> of a table: <c>true</c> (every role's column has the role's name), <c>false</c> (no queue), or a
    /// mapping naming the column of some roles (the others keep their conventional names). Whether the columns exist, have
    /// the types the queue needs and an index serves the claim is <see cref="Validation.QueueValidator"/>'s check.
    /// </summary>
    private QueueDeclaration? ReadQueue(TableDraft table, YamlNode node)
    {
        var where = $"'queue' of table '{table.Name}'";
        if (node is not YamlMapping mapping)
            return _read.Bool(node, where) == true ? Conventional(node.Span, new Dictionary<string, QueueColumn>()) : null;

        var named = new Dictionary<string, QueueColumn>();
        _read.Keys(mapping, where, QueueKeys, (role, value, _) =>
        {
            var column = _read.Text(value, $"'{role}' of {where} (the name of a column of '{table.Name}')");
            if (column is not null)
                named[role] = new QueueColumn(role, column, value.Span);
        });
        return Conventional(mapping.Span, named);
    }

    private static QueueDeclaration Conventional(SourceSpan span, Dictionary<string, QueueColumn> named)
    {
        var columns = QueueRoles.Required.Select(role => named.TryGetValue(role, out var column) ? column : new QueueColumn(role, role, span)).ToList();
        if (named.TryGetValue(QueueRoles.UniqueKey, out var uniqueKey))
            columns.Add(uniqueKey);
        return new QueueDeclaration(columns.ToEquatableArray(), span);
    }
}
