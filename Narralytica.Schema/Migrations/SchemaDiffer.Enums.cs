using System;
using System.Collections.Generic;
using System.Linq;
using Narralytica.Schema.Model;
using Narralytica.Schema.Sql;

namespace Narralytica.Schema.Migrations;

/// <summary>
/// Enum types: created, dropped, values added in place, or the type recreated when values go or move.
/// </summary>
public sealed partial class SchemaDiffer
{
    private const string OldEnumSuffix = "__narralytica_old";

    private readonly HashSet<string> _recreatedEnums = new(StringComparer.Ordinal);
    private readonly HashSet<string> _enumsWithAddedValues = new(StringComparer.Ordinal);
    // The literals of added values, and whether a column converts into an enum that gains values: either makes
    // the additions a stage of their own (see Assemble), as a value cannot be used before its transaction commits.
    private readonly List<string> _addedEnumLiterals = new();
    private bool _convertsIntoEnumWithAddedValues;

    private void DiffEnums()
    {
        foreach (var enumType in _to.Enums)
        {
            var old = _from.FindEnum(enumType.Name);
            if (old is null)
            {
                Emit(Phase.CreateEnums, SqlFragments.CreateEnum(enumType));
                if (enumType.Doc is not null)
                    Emit(Phase.CreateEnums, SqlFragments.CommentOnType(enumType));
                Change(ChangeDescriptions.CreateEnum(enumType), enumType.Span);
                continue;
            }
            if (!old.Values.SequenceEqual(enumType.Values))
                DiffEnumValues(old, enumType);
            if (old.Doc != enumType.Doc && !_recreatedEnums.Contains(enumType.Name))
            {
                Emit(Phase.Comments, SqlFragments.CommentOnType(enumType));
                Change(ChangeDescriptions.ChangeEnumDoc(enumType), enumType.Span);
            }
        }
        foreach (var old in _from.Enums.Where(e => _to.FindEnum(e.Name) is null))
        {
            Emit(Phase.DropEnums, MigrationSql.DropType(old.Name));
            Change(ChangeDescriptions.DropEnum(old), new SourceSpan(1, 1));
            Find(SafetyFindings.DropEnum(old));
        }
    }

    private void DiffEnumValues(EnumType old, EnumType enumType)
    {
        var kept = enumType.Values.Where(old.Values.Contains).ToList();
        if (kept.Count == old.Values.Count && kept.SequenceEqual(old.Values))
        {
            // Only additions: ALTER TYPE … ADD VALUE keeps every stored value and needs no rewrite.
            for (var i = 0; i < enumType.Values.Count; i++)
            {
                var value = enumType.Values[i];
                if (old.Values.Contains(value))
                    continue;
                var next = enumType.Values.Skip(i + 1).FirstOrDefault(old.Values.Contains);
                Emit(Phase.AddEnumValues, MigrationSql.AddEnumValue(enumType, value, next));
                _addedEnumLiterals.Add(SqlIdentifier.Literal(value));
                _enumsWithAddedValues.Add(enumType.Name);
                Change(ChangeDescriptions.AddEnumValue(enumType, value, next), enumType.Span);
            }
            return;
        }

        // Values removed or reordered: PostgreSQL cannot do either in place. Recreate the type and
        // convert every column through text, which fails (and rolls back) if a row holds a removed value.
        _recreatedEnums.Add(enumType.Name);
        var oldName = SqlIdentifier.Fit(enumType.Name + OldEnumSuffix);
        Emit(Phase.CreateEnums, MigrationSql.RenameType(enumType.Name, oldName));
        Emit(Phase.CreateEnums, SqlFragments.CreateEnum(enumType));
        if (enumType.Doc is not null)
            Emit(Phase.CreateEnums, SqlFragments.CommentOnType(enumType));
        Emit(Phase.DropEnums, MigrationSql.DropType(oldName));
        Change(ChangeDescriptions.RecreateEnum(enumType), enumType.Span);
        Find(SafetyFindings.RecreateEnum(old, enumType));
    }

    private bool IsRecreatedEnum(PgType type) => type.Kind == PgTypeKind.Enum && _recreatedEnums.Contains(type.EnumName!);
}
