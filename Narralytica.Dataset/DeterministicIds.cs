using System;
using System.Buffers.Binary;

namespace Narralytica.Dataset;

/// <summary>
/// UUIDv7-shaped ids computed from where a row sits in the data set, so every run yields the same ids and
/// any id can be recomputed without the rows. The 48-bit timestamp and the 12 bits after the version grow
/// with (tenant, table, row number), so within a table of a tenant key order is insertion order, as with
/// real UUIDv7 ids minted while the rows were written.
/// </summary>
public sealed class DeterministicIds
{
    // 2025-01-01T00:00:00Z: every id's timestamp, and every created_at, lies shortly after it.
    private const long EpochMs = 1_735_689_600_000;
    private const int TableBits = 4;
    private const int RowBits = 36;

    private readonly ulong _seed;

    public DeterministicIds(int seed) => _seed = (ulong)(uint)seed;

    /// <summary>The id of row <paramref name="row"/> (0-based, in insertion order) of <paramref name="table"/> in tenant <paramref name="tenantIndex"/>.</summary>
    public Guid For(int tenantIndex, RowTable table, long row)
    {
        var sequence = Sequence(tenantIndex, table, row);
        Span<byte> bytes = stackalloc byte[16];
        var timestamp = (ulong)EpochMs + (sequence >> 12);
        BinaryPrimitives.WriteUInt64BigEndian(bytes, timestamp << 16 | 0x7000UL | (sequence & 0xFFF));
        // The 62 "random" bits: a fixed mix of the sequence and the seed, with the RFC 4122 variant on top.
        BinaryPrimitives.WriteUInt64BigEndian(bytes[8..], Mix(sequence ^ _seed) >> 2 | 0x8000_0000_0000_0000UL);
        return new Guid(bytes, bigEndian: true);
    }

    /// <summary>The instant the id of this row encodes: its created_at.</summary>
    public DateTimeOffset CreatedAt(int tenantIndex, RowTable table, long row)
        => DateTimeOffset.FromUnixTimeMilliseconds(EpochMs + (long)(Sequence(tenantIndex, table, row) >> 12));

    private static ulong Sequence(int tenantIndex, RowTable table, long row)
    {
        if (row < 0 || row >= 1L << RowBits)
            throw new ArgumentOutOfRangeException(nameof(row), row, "A table of one tenant holds at most 2^36 rows in the data set.");
        return ((ulong)(tenantIndex + 1) << (TableBits + RowBits)) | ((ulong)table << RowBits) | (ulong)row;
    }

    // SplitMix64's finalizer: a cheap, well-spread, deterministic 64-bit mix.
    private static ulong Mix(ulong value)
    {
        value = (value ^ (value >> 30)) * 0xBF58476D1CE4E5B9UL;
        value = (value ^ (value >> 27)) * 0x94D049BB133111EBUL;
        return value ^ (value >> 31);
    }
}
