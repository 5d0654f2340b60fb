using System;
using System.Linq;
using System.Threading.Tasks;
using Narralytica.Schema;
using Narralytica.Schema.Sql;
using Narralytica.Tests.Infrastructure;
using Narralytica.Tests.Schema;
using Npgsql;
using Xunit;

namespace Narralytica.Tests.Queue;

/// <summary>
/// A queue whose columns all have names of their own (<see cref="QueueDeclarationTests.Named"/>), built by its DDL in
/// PostgreSQL: the statements written from the declaration enqueue (with the uniqueness key), claim, heartbeat, fail,
/// complete and release on those columns.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class NamedQueueTests
{
    private readonly PostgresFixture _postgres;

    public NamedQueueTests(PostgresFixture postgres) => _postgres = postgres;

    [Fact]
    public async Task The_statements_written_from_a_named_declaration_run_a_job_through_its_life()
    {
        var model = SchemaCompiler.Compile(QueueDeclarationTests.Named).Model!;
        var sql = QueueSql.For(model.FindTable("tasks")!, model.Enums.Select(e => e.Name).ToList())!;
        await using var connection = new NpgsqlConnection(await _postgres.CreateEmptyDatabaseAsync());
        await connection.OpenAsync();
        foreach (var statement in DdlEmitter.Statements(model))
            await Run(connection, statement);
        var tenant = Guid.CreateVersion7();
        await Run(connection, "INSERT INTO tenants (id, name) VALUES ($1, 'named')", tenant);

        var id = Guid.CreateVersion7();
        // Enqueue: $1 tenant, $2 id, $3 kind, $4 payload, $5 priority, $6 max attempts, $7 run after, $8 key. The key held by a
        // waiting job (of this statement or the batch's) adds nothing.
        Assert.Equal(1L, await Scalar(connection, sql.Enqueue, tenant, id, "mail", Json, (short)2, 3, DBNull.Value, "mail:1"));
        Assert.Equal(0L, await Scalar(connection, sql.Enqueue, tenant, Guid.CreateVersion7(), "mail", Json, (short)0, 3, DBNull.Value, "mail:1"));
        Assert.Equal(1L, await Scalar(connection, sql.EnqueueMany, tenant, new[] { Guid.CreateVersion7(), Guid.CreateVersion7() }, new[] { "a", "b" },
            new NpgsqlParameter { Value = new[] { "{}", "{}" }, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Jsonb },
            new short[] { 0, 0 }, new[] { 3, 3 }, new NpgsqlParameter { Value = new DateTime?[] { null, null }, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.TimestampTz },
            new NpgsqlParameter { Value = new string?[] { "mail:1", null }, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Text }));

        // Claimed first (priority 2), under the named columns.
        await using (var claim = new NpgsqlCommand(sql.Claim, connection) { Parameters = { new() { Value = 1 }, new() { Value = Guid.Empty }, new() { Value = "w1" }, new() { Value = 30.0 } } })
        await using (var reader = await claim.ExecuteReaderAsync())
        {
            Assert.True(await reader.ReadAsync());
            Assert.Equal((id, "mail", "running", 1), (reader.GetGuid(2), reader.GetString(3), reader.GetString(8), reader.GetInt32(6)));
        }
        Assert.Equal("w1", await Scalar(connection, "SELECT held_by FROM tasks WHERE id = $1", id));
        Assert.NotNull(await Scalar(connection, sql.Heartbeat, tenant, id, "w1", 1, 30.0));
        await Run(connection, sql.Fail, tenant, id, "w1", 1, "boom", 0.0);
        Assert.Equal(("queued", "boom"), ((string)(await Scalar(connection, "SELECT state::text FROM tasks WHERE id = $1", id))!, (string)(await Scalar(connection, "SELECT error FROM tasks WHERE id = $1", id))!));

        await Run(connection, "UPDATE tasks SET state = 'running', held_by = 'w2', tries = 2 WHERE id = $1", id);
        await Run(connection, sql.Complete, tenant, id, "w2", 2);
        Assert.Equal("succeeded", await Scalar(connection, "SELECT state::text FROM tasks WHERE id = $1", id));
        // Finished: the key is free again.
        Assert.Equal(1L, await Scalar(connection, sql.Enqueue, tenant, Guid.CreateVersion7(), "mail", Json, (short)0, 3, DBNull.Value, "mail:1"));
    }

    private static NpgsqlParameter Json => new() { Value = "{}", NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Jsonb };

    private static async Task Run(NpgsqlConnection connection, string sql, params object[] values)
    {
        await using var command = Command(connection, sql, values);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<object?> Scalar(NpgsqlConnection connection, string sql, params object[] values)
    {
        await using var command = Command(connection, sql, values);
        return await command.ExecuteScalarAsync();
    }

    private static NpgsqlCommand Command(NpgsqlConnection connection, string sql, object[] values)
    {
        var command = new NpgsqlCommand(sql, connection);
        foreach (var value in values)
            command.Parameters.Add(value as NpgsqlParameter ?? new NpgsqlParameter { Value = value });
        return command;
    }
}
