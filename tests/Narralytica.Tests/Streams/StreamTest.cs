using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Narralytica.Model;
using Narralytica.Runtime;
using Narralytica.Runtime.Streams;
using Narralytica.Tests.Infrastructure;
using Narralytica.Tests.Integration;
using Npgsql;

namespace Narralytica.Tests.Streams;

/// <summary>
/// Base of the change stream tests: a fresh database with the schema (and so the search_changes publication), and
/// slots with unique names that are dropped after the test, since a slot left behind holds WAL and keeps its database.
/// Streams run as a derived system's logins do: the stream login (<see cref="StreamLoginName"/>: REPLICATION, a member
/// of narralytica_reader only) reads, and the search login (<see cref="SearchLoginName"/>), owner of the search schema, writes.
/// </summary>
public abstract class StreamTest : DatabaseTest
{
    /// <summary>The stream login of the tests' cluster, made as <c>roles create --stream-login</c> makes one.</summary>
    public const string StreamLoginName = "narralytica_test_stream";

    /// <summary>The login that owns each test database's search schema and holds nothing on the canonical tables.</summary>
    public const string SearchLoginName = "narralytica_test_search";

    private static readonly SemaphoreSlim LoginsGate = new(1, 1);
    private static bool _loginsCreated;
    private readonly List<string> _slots = new();

    protected StreamTest(PostgresFixture postgres) : base(postgres) { }

    /// <summary>A unique slot name, dropped (if it was created) when the test ends.</summary>
    protected string NewSlotName()
    {
        var name = "test_" + Guid.NewGuid().ToString("N").Substring(0, 16);
        _slots.Add(name);
        return name;
    }

    protected ChangeStreamOptions Options(string slot) => new(StreamLoginConnectionString, NarralyticaStreams.SearchChanges, slot);

    /// <summary>This test's database as the stream login.</summary>
    protected string StreamLoginConnectionString => As(StreamLoginName);

    /// <summary>This test's database as the search login.</summary>
    protected string SearchLoginConnectionString => As(SearchLoginName);

    private string As(string login) => new NpgsqlConnectionStringBuilder(ConnectionString) { Username = login, Options = null }.ConnectionString;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await LoginsGate.WaitAsync();
        try
        {
            if (!_loginsCreated)
            {
                await PostgresFixture.ExecuteAsync(ConnectionString,
                    $"DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{StreamLoginName}') THEN " +
                    $"CREATE ROLE {StreamLoginName} {Narralytica.Schema.Sql.StreamLogin.Attributes} IN ROLE {Narralytica.Schema.Sql.StreamLogin.MemberOf}; END IF; " +
                    $"IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{SearchLoginName}') THEN CREATE ROLE {SearchLoginName} LOGIN; END IF; END $$");
                _loginsCreated = true;
            }
        }
        finally
        {
            LoginsGate.Release();
        }
        // The search login owns the derived system's schema and nothing else.
        await PostgresFixture.ExecuteAsync(ConnectionString, $"CREATE SCHEMA search AUTHORIZATION {SearchLoginName}");
    }

    public override async Task DisposeAsync()
    {
        foreach (var slot in _slots)
        {
            // A consumer stopped a moment ago may still hold its slot while its server process ends.
            for (var attempt = 0; ; attempt++)
            {
                try
                {
                    await ReplicationSlots.DropAsync(ConnectionString, slot);
                    break;
                }
                catch (ChangeStreamException e) when (e.Problem == ChangeStreamProblem.MissingSlot)
                {
                    break;
                }
                catch (ChangeStreamException e) when (e.Problem == ChangeStreamProblem.SlotInUse && attempt < 100)
                {
                    await Task.Delay(100);
                }
            }
        }
        await base.DisposeAsync();
    }

    /// <summary>Reads events until <paramref name="done"/> says so; fails after 60 s.</summary>
    protected static async Task<List<ChangeEvent>> ReadUntilAsync(ChangeStream stream, Func<List<ChangeEvent>, bool> done, Func<ChangeEvent, Task>? onEvent = null)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var events = new List<ChangeEvent>();
        await foreach (var change in stream.ReadAsync(null, timeout.Token))
        {
            events.Add(change);
            if (onEvent is not null)
                await onEvent(change);
            if (done(events))
                break;
        }
        return events;
    }

    /// <summary>Waits (up to a minute) until the slot's confirmed position has reached <paramref name="position"/>.</summary>
    protected async Task WaitUntilSlotConfirmedAsync(string slot, NpgsqlTypes.NpgsqlLogSequenceNumber position)
    {
        var deadline = DateTime.UtcNow.AddMinutes(1);
        string confirmed;
        do
        {
            confirmed = await ExecuteAsync($"SELECT confirmed_flush_lsn >= '{position}'::pg_lsn FROM pg_replication_slots WHERE slot_name = '{slot}'");
            if (confirmed == "True")
                return;
            await Task.Delay(50);
        } while (DateTime.UtcNow < deadline);
        throw new TimeoutException($"The slot {slot} did not record the acknowledgement of {position} within a minute (last answer: '{confirmed}').");
    }

    protected async Task<string> ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (await command.ExecuteScalarAsync())?.ToString() ?? "";
    }
}
