using System.Collections.Generic;
using System.Linq;
using Narralytica.Schema.Model;
using Narralytica.Schema.Yaml;
using static Narralytica.Schema.Language.SchemaVocabulary;

namespace Narralytica.Schema.Parsing;

internal sealed partial class SchemaParser
{
    /// <summary>
    /// <c>checkpoints:</c> of a table: <c>true</c> (every role's column has the role's name), <c>false</c> (none), or a
    /// mapping naming the column of some roles (the others keep their conventional names). Whether the columns exist, have
    /// the types the checkpoint statements need and a unique key finds a stage's row is
    /// <see cref="Validation.CheckpointValidator"/>'s check.
    /// </summary>
    private CheckpointDeclaration? ReadCheckpoints(TableDraft table, YamlNode node)
    {
        var where = $"'checkpoints' of table '{table.Name}'";
        var named = new Dictionary<string, CheckpointColumn>();
        if (node is not YamlMapping mapping)
        {
            if (_read.Bool(node, where) != true)
                return null;
        }
        else
        {
            _read.Keys(mapping, where, CheckpointKeys, (role, value, _) =>
            {
                var column = _read.Text(value, $"'{role}' of {where} (the name of a column of '{table.Name}')");
                if (column is not null)
                    named[role] = new CheckpointColumn(role, column, value.Span);
            });
        }
        var columns = CheckpointRoles.All.Select(role => named.TryGetValue(role, out var column) ? column : new CheckpointColumn(role, role, node.Span));
        return new CheckpointDeclaration(columns.ToEquatableArray(), node.Span);
    }
}
