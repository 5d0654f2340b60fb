using System;
using System.Threading.Tasks;
using Narralytica.Model;
using Narralytica.Runtime;
using Narralytica.Tests.Infrastructure;
using Npgsql;
using Xunit;

namespace Narralytica.Tests.Citus;

/// <summary>
/// <see cref="ShardNames"/>: a worker's error names the shard's objects (as Citus 13.2 raised it, docs/citus.md); the
/// schema.yaml names come back, and a plain PostgreSQL error keeps its own.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class ShardNamesTests
{
    private readonly PostgresFixture _postgres;

    public ShardNamesTests(PostgresFixture postgres) => _postgres = postgres;

    [Theory]
    [InlineData("fk_segments_transcript_id_102183", "fk_segments_transcript_id")]
    [InlineData("segments_102183", "segments")]
    [InlineData("uq_layers_segment_id_kind_version_102250", "uq_layers_segment_id_kind_version")]
    [InlineData("fk_segments_transcript_id", "fk_segments_transcript_id")]
    [InlineData("stats_2024", "stats_2024")]
    [InlineData("102183", "102183")]
    [InlineData("_102183", "_102183")]
    [InlineData(null, null)]
    public void A_shard_id_suffix_is_removed_and_nothing_else(string? name, string? expected)
        => Assert.Equal(expected, ShardNames.WithoutShardId(name));

    [Fact]
    public async Task A_plain_PostgreSQL_violation_keeps_its_names()
    {
        await using var connection = new NpgsqlConnection(CitusFormAttackTests.Unpooled(await _postgres.CreateSchemaDatabaseAsync()));
        await connection.OpenAsync();
        var tenant = Guid.NewGuid();
        await using (var insertTenant = new NpgsqlCommand("INSERT INTO tenants (id, slug, name) VALUES ($1, 't', 't')", connection) { Parameters = { new() { Value = tenant } } })
            await insertTenant.ExecuteNonQueryAsync();
        // A segment of a transcript that does not exist.
        await using var command = new NpgsqlCommand(
            "INSERT INTO segments (tenant_id, id, transcript_id, ordinal, start_ms, end_ms, text) VALUES ($1, $2, $3, 0, 0, 10, 'x')", connection)
        {
            Parameters = { new() { Value = tenant }, new() { Value = Guid.NewGuid() }, new() { Value = Guid.NewGuid() } },
        };
        var error = await Assert.ThrowsAsync<PostgresException>(() => command.ExecuteNonQueryAsync());
        Assert.True(error.SchemaConstraintName() == "fk_segments_transcript_id", error.Message);
        Assert.Equal("segments", error.SchemaTableName());
    }
}
