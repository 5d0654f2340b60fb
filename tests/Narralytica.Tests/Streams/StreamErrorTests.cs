using System;
using System.Threading.Tasks;
using Narralytica.DevServer;
using Narralytica.Model;
using Narralytica.Runtime;
using Narralytica.Runtime.Streams;
using Narralytica.Tests.Infrastructure;
using Npgsql;
using Xunit;

namespace Narralytica.Tests.Streams;

/// <summary>Each way a stream cannot run gives its own error, saying what to do.</summary>
public sealed class StreamErrorTests : StreamTest
{
    public StreamErrorTests(PostgresFixture postgres) : base(postgres) { }

    [Fact]
    public async Task A_dropped_slot_says_the_changes_since_are_gone_and_how_to_start_again()
    {
        var slot = NewSlotName();
        await ReplicationSlots.CreateAsync(ConnectionString, NarralyticaStreams.SearchChanges.Publication, slot);
        await ReplicationSlots.DropAsync(ConnectionString, slot);

        await using var stream = new ChangeStream(Options(slot));
        var error = await Assert.ThrowsAsync<ChangeStreamException>(() => ReadUntilAsync(stream, _ => true));
        Assert.Equal(ChangeStreamProblem.MissingSlot, error.Problem);
        Assert.Contains($"The replication slot '{slot}' does not exist", error.Message);
        Assert.Contains("Rebuild the derived system from a new snapshot", error.Message);
        Assert.Contains("narralytica stream create --slot " + slot, error.Message);
    }

    [Fact]
    public async Task A_missing_publication_says_the_migration_creates_it()
    {
        await ExecuteAsync("DROP PUBLICATION search_changes");
        var error = await Assert.ThrowsAsync<ChangeStreamException>(() => StreamSnapshot.CreateSlotAsync(Options(NewSlotName()), "a test of a missing publication"));
        Assert.Equal(ChangeStreamProblem.MissingPublication, error.Problem);
        Assert.Contains("The publication 'search_changes' does not exist", error.Message);
        Assert.Contains("apply the migrations", error.Message);
    }

    [Fact]
    public async Task A_slot_that_exists_is_not_rebuilt_over_and_a_slot_in_use_is_not_dropped()
    {
        var slot = NewSlotName();
        await ReplicationSlots.CreateAsync(ConnectionString, NarralyticaStreams.SearchChanges.Publication, slot);
        var exists = await Assert.ThrowsAsync<ChangeStreamException>(() => StreamSnapshot.CreateSlotAsync(Options(slot), "a test of a slot that exists"));
        Assert.Equal(ChangeStreamProblem.SlotExists, exists.Problem);
        Assert.Contains("narralytica stream drop --slot " + slot, exists.Message);
    }

    [Fact]
    public async Task A_server_below_wal_level_logical_says_how_to_turn_it_on_here_and_on_managed_services()
    {
        await using var server = await ThrowawayPostgres.StartAsync(null, "-c wal_level=replica");
        var connectionString = await server.CreateDatabaseAsync("streams");
        var options = new ChangeStreamOptions(connectionString, NarralyticaStreams.SearchChanges, "never_created");
        var error = await Assert.ThrowsAsync<ChangeStreamException>(() => StreamSnapshot.CreateSlotAsync(options, "a test of wal_level"));
        Assert.Equal(ChangeStreamProblem.WalLevelTooLow, error.Problem);
        Assert.Contains("wal_level=replica; change streams need wal_level=logical", error.Message);
        Assert.Contains("rds.logical_replication", error.Message);
        Assert.Contains("cloudsql.logical_decoding", error.Message);
        NpgsqlConnection.ClearAllPools();
    }

    [Fact]
    public async Task A_member_of_the_readers_role_without_replication_is_told_that_attributes_are_not_inherited()
    {
        var role = "stream_reader_" + Guid.NewGuid().ToString("N").Substring(0, 8);
        await ExecuteAsync($"CREATE ROLE {role} LOGIN IN ROLE narralytica_reader");
        try
        {
            var weak = new NpgsqlConnectionStringBuilder(ConnectionString) { Username = role, Pooling = false }.ConnectionString;
            var options = new ChangeStreamOptions(weak, NarralyticaStreams.SearchChanges, NewSlotName());
            var snapshot = await Assert.ThrowsAsync<ChangeStreamException>(() => StreamSnapshot.CreateSlotAsync(options, "a test of a login without REPLICATION"));
            Assert.Equal(ChangeStreamProblem.NotAllowed, snapshot.Problem);
            Assert.Contains($"'{role}' has no REPLICATION attribute", snapshot.Message);
            Assert.Contains("being a member of narralytica_reader does not give it", snapshot.Message);
            Assert.Contains("roles create --stream-login", snapshot.Message);
            // Refused before anything was made: no audit row, no slot.
            Assert.Equal("0", await ExecuteAsync($"SELECT count(*) FROM narralytica_cross_tenant_audits WHERE database_user = '{role}'"));

            // Nor may it read a slot someone else made.
            await ReplicationSlots.CreateAsync(ConnectionString, NarralyticaStreams.SearchChanges.Publication, options.SlotName);
            await using var stream = new ChangeStream(options);
            var streaming = await Assert.ThrowsAsync<ChangeStreamException>(() => ReadUntilAsync(stream, _ => true));
            Assert.Equal(ChangeStreamProblem.NotAllowed, streaming.Problem);
            Assert.Contains("needs the REPLICATION attribute of its own", streaming.Message);
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await ExecuteAsync($"DROP ROLE {role}");
        }
    }
}
