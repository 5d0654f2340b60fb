using System.Collections.Generic;
using Narralytica.Tests.Infrastructure;

namespace Narralytica.Tests.Schema;

/// <summary>
/// A key schema.yaml does not know, in every kind of mapping: each is the one error of its document (NARR1002, with
/// the key it was probably meant to be), and fails validation against the JSON Schema editors use.
/// </summary>
public static class UnknownKeyCases
{
    // A valid base: a global tenants table.
    public const string Tenants = "tables:\n  tenants:\n    scope: global\n    columns:\n      name: text\n";

    private static string Repository(string find, string replace)
    {
        var text = RepositoryFiles.SchemaText.Replace("\r\n", "\n");
        Xunit.Assert.Contains(find, text);
        return text.Replace(find, replace);
    }

    /// <summary>(the unknown key, the key it is taken for, the document).</summary>
    public static IEnumerable<object[]> All => new[]
    {
        new object[] { "tabels", "tables", Tenants.Replace("tables:", "tabels:") },
        new object[] { "enum", "enums", "enum:\n  mood: [calm, loud]\n" + Tenants },
        new object[] { "valeus", "values", "enums:\n  mood:\n    valeus: [calm, loud]\n" + Tenants },
        new object[] { "scpoe", "scope", Tenants + "  videos:\n    scpoe: tenant\n    columns:\n      title: text\n" },
        new object[] { "colums", "columns", Tenants + "  videos:\n    scope: tenant\n    colums:\n      title: text\n" },
        new object[] { "nulable", "nullable", Tenants + "      note:\n        type: text\n        nulable: true\n" },
        new object[] { "tpye", "type", Tenants + "  videos:\n    scope: tenant\n    columns:\n      title:\n        tpye: text\n" },
        new object[] { "uniqe", "unique", Tenants + "    indexes:\n      - {columns: [name], uniqe: true}\n" },
        new object[] { "nmae", "name", Tenants + "    unique:\n      - {columns: [name], nmae: uq_tenants_by_name}\n" },
        new object[] { "bye", "by", Repository("{of: [segment_id, kind], by: version}", "{of: [segment_id, kind], by: version, bye: version}") },
        new object[] { "mach", "match", Repository("        many: segment_id\n", "        many: segment_id\n        mach: segment_id\n") },
        new object[] { "dco", "doc", Repository("        latest_of: layers\n", "        latest_of: layers\n        dco: The feed.\n") },
    };

    /// <summary>The 1-based line and column of the first <paramref name="key"/> written as a key.</summary>
    public static (int Line, int Column) PositionOf(string yaml, string key)
    {
        var lines = yaml.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var at = lines[i].IndexOf(key + ":", System.StringComparison.Ordinal);
            if (at >= 0)
                return (i + 1, at + 1);
        }
        throw new System.ArgumentException($"'{key}:' is not in the document");
    }
}
