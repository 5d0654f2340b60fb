using System.Collections.Generic;

namespace Narralytica.Runtime;

/// <summary>
/// One migration of the migrations folder, compiled into the model (<c>NarralyticaMigrations.All</c>):
/// its number and name, its exact text and checksum (SHA-256 of the text with \n line endings),
/// the chained sum of narralytica.sum, whether it runs in one transaction, and its statements with
/// the line each starts on.
/// </summary>
public sealed class SchemaMigration
{
    /// <summary>Built by the generated <c>NarralyticaMigrations</c>.</summary>
    public SchemaMigration(int version, string name, string fileName, string checksum, string sum, bool transactional, string text,
        IReadOnlyList<SchemaMigrationStatement> statements)
    {
        Version = version;
        Name = name;
        FileName = fileName;
        Checksum = checksum;
        Sum = sum;
        Transactional = transactional;
        Text = text;
        Statements = statements;
    }

    /// <summary>The number the file name starts with.</summary>
    public int Version { get; }
    /// <summary>The name after the number (<c>add_video_language</c>).</summary>
    public string Name { get; }
    /// <summary><c>NNNN_name.sql</c>.</summary>
    public string FileName { get; }
    /// <summary>SHA-256 of the text, line endings made \n.</summary>
    public string Checksum { get; }
    /// <summary>The chained hash of narralytica.sum: covers this migration and every one before it.</summary>
    public string Sum { get; }
    /// <summary>False for a migration marked to run outside a transaction (concurrent index builds).</summary>
    public bool Transactional { get; }
    /// <summary>The file's exact text.</summary>
    public string Text { get; }
    /// <summary>The statements, in order, with the line each starts on.</summary>
    public IReadOnlyList<SchemaMigrationStatement> Statements { get; }

    /// <summary>
    /// The checksums of earlier texts of this file that this text amends (its <c>-- narralytica:amends</c> header lines):
    /// a history row holding one of them records this migration as applied, not as a text edited after it ran.
    /// </summary>
    public IReadOnlyList<string> Amends { get; init; } = [];

    /// <summary>The file name.</summary>
    public override string ToString() => FileName;
}

/// <summary>A statement of a migration and the line of the file it starts on.</summary>
public sealed record SchemaMigrationStatement(int Line, string Sql);
