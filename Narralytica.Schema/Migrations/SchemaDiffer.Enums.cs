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
                Change($"create enum {enumType.Name}", enumType.Span);
                continue;
            }
            if (!old.Values.SequenceEqual(enumType.Values))
                DiffEnumValues(old, enumType);
            if (old.Doc != enumType.Doc && !_recreatedEnums.Contains(enumType.Name))
            {
                Emit(Phase.Comments, SqlFragments.CommentOnType(enumType));
                Change($"change the doc of enum {enumType.Name}", enumType.Span);
            }
        }
        foreach (var old in _from.Enums.Where(e => _to.FindEnum(e.Name) is null))
        {
            Emit(Phase.DropEnums, $"DROP TYPE {Q(old.Name)};");
            Change($"drop enum {old.Name}", new SourceSpan(1, 1));
            Find(MigrationRules.DropEnumValue, $"drops enum type '{old.Name}' (no longer in schema.yaml). Drop it in a later release, once no code writes it", new SourceSpan(1, 1));
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
                var position = next is null ? "" : " BEFORE " + SqlIdentifier.Literal(next);
                Emit(Phase.AddEnumValues, $"ALTER TYPE {Q(enumType.Name)} ADD VALUE {SqlIdentifier.Literal(value)}{position};");
                _addedEnumLiterals.Add(SqlIdentifier.Literal(value));
                _enumsWithAddedValues.Add(enumType.Name);
                Change($"add value '{value}' to enum {enumType.Name}{(next is null ? "" : $" before '{next}'")}", enumType.Span);
            }
            return;
        }

        // Values removed or reordered: PostgreSQL cannot do either in place. Recreate the type and
        // convert every column through text, which fails (and rolls back) if a row holds a removed value.
        _recreatedEnums.Add(enumType.Name);
        var oldName = SqlIdentifier.Fit(enumType.Name + OldEnumSuffix);
        Emit(Phase.CreateEnums, $"ALTER TYPE {Q(enumType.Name)} RENAME TO {Q(oldName)};");
        Emit(Phase.CreateEnums, SqlFragments.CreateEnum(enumType));
        if (enumType.Doc is not null)
            Emit(Phase.CreateEnums, SqlFragments.CommentOnType(enumType));
        Emit(Phase.DropEnums, $"DROP TYPE {Q(oldName)};");
        var removed = old.Values.Where(v => !enumType.Values.Contains(v)).ToList();
        var what = removed.Count > 0
            ? $"removes value{(removed.Count > 1 ? "s" : "")} {string.Join(", ", removed.Select(v => $"'{v}'"))} from enum '{enumType.Name}'"
            : $"reorders the values of enum '{enumType.Name}'";
        Change($"recreate enum {enumType.Name} ({string.Join(", ", enumType.Values)})", enumType.Span);
        Find(MigrationRules.DropEnumValue,
            $"{what}: PostgreSQL cannot do this in place, so the type is recreated and every column of it converted, which fails if a row still holds a removed value. " +
            "Safer: stop writing the value, update the rows that hold it, and only then remove it", enumType.Span);
    }

    private bool IsRecreatedEnum(PgType type) => type.Kind == PgTypeKind.Enum && _recreatedEnums.Contains(type.EnumName!);
}
