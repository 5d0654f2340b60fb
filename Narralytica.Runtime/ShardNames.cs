using Npgsql;

namespace Narralytica.Runtime;

/// <summary>
/// The schema.yaml names behind an error raised on a Citus worker. A worker raises errors on its shards, whose tables,
/// indexes and constraints carry the shard id as a suffix (<c>segments_102183</c>,
/// <c>fk_segments_transcript_id_102183</c>); these give back <c>segments</c> and <c>fk_segments_transcript_id</c>, and
/// leave the names of a plain PostgreSQL error as they are. A name is taken for a shard's when it ends with
/// <c>_</c> and at least six digits (Citus numbers shards from 102008) and the error's table name ends so too.
/// </summary>
public static class ShardNames
{
    private const int MinimumShardIdDigits = 6;

    /// <summary>The constraint of the error, by its schema.yaml name (null when the error names none).</summary>
    public static string? SchemaConstraintName(this PostgresException exception)
        => IsShard(exception.TableName) ? WithoutShardId(exception.ConstraintName) : exception.ConstraintName;

    /// <summary>The table of the error, by its schema.yaml name (null when the error names none).</summary>
    public static string? SchemaTableName(this PostgresException exception)
        => IsShard(exception.TableName) ? WithoutShardId(exception.TableName) : exception.TableName;

    /// <summary><paramref name="name"/> without a trailing <c>_&lt;shard id&gt;</c>; unchanged when it has none.</summary>
    public static string? WithoutShardId(string? name) => ShardIdStart(name) is { } start ? name!.Substring(0, start) : name;

    private static bool IsShard(string? table) => ShardIdStart(table) is not null;

    /// <summary>Where the trailing <c>_&lt;digits&gt;</c> begins, when there are enough digits; else null.</summary>
    private static int? ShardIdStart(string? name)
    {
        if (name is null)
            return null;
        var i = name.Length;
        while (i > 0 && name[i - 1] is >= '0' and <= '9')
            i--;
        return name.Length - i >= MinimumShardIdDigits && i > 1 && name[i - 1] == '_' ? i - 1 : null;
    }
}
