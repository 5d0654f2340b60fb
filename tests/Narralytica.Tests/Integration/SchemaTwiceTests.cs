using System;
using System.Threading.Tasks;
using LinqToDB;
using LinqToDB.Async;
using Narralytica.Model;
using Narralytica.Runtime;
using Narralytica.Tests.HotPaths;
using Narralytica.Tests.Infrastructure;
using Npgsql;
using Xunit;

namespace Narralytica.Tests.Integration;

// The whole data layer (CRUD, generated helpers, bulk insert, feeds) once more, in a database that holds the schema
// twice: its enum types exist in public and in the second schema, so a type mapped by its bare name is ambiguous.
public sealed class CrudTestsInASecondSchema : CrudTests
{
    public CrudTestsInASecondSchema(PostgresFixture postgres) : base(postgres) { }
    protected override Task<string> CreateDatabaseAsync(PostgresFixture postgres) => postgres.CreateSchemaTwiceDatabaseAsync();
}

public sealed class BulkInsertTestsInASecondSchema : BulkInsertTests
{
    public BulkInsertTestsInASecondSchema(PostgresFixture postgres) : base(postgres) { }
    protected override Task<string> CreateDatabaseAsync(PostgresFixture postgres) => postgres.CreateSchemaTwiceDatabaseAsync();
}

public sealed class FeedTestsInASecondSchema : FeedTests
{
    public FeedTestsInASecondSchema(PostgresFixture postgres) : base(postgres) { }
    protected override Task<string> CreateDatabaseAsync(PostgresFixture postgres) => postgres.CreateSchemaTwiceDatabaseAsync();
}

/// <summary>Which copy of the schema a data source uses, when the database holds it twice.</summary>
public sealed class SchemaTwiceTests : DatabaseTest
{
    public SchemaTwiceTests(PostgresFixture postgres) : base(postgres) { }

    protected override Task<string> CreateDatabaseAsync(PostgresFixture postgres) => postgres.CreateSchemaTwiceDatabaseAsync();

    private string WithoutSearchPath => new NpgsqlConnectionStringBuilder(ConnectionString) { SearchPath = null }.ConnectionString;

    /// <summary>Inserts a video (an enum column) through <paramref name="db"/> and says which schemas hold it.</summary>
    private async Task<string[]> SchemasHoldingANewVideoAsync(NarralyticaDb db)
    {
        var tenant = await NewTenantAsync(db, "twice");
        var video = new Video { Title = "twice", Source = VideoSource.PodcastFeed, ExternalId = Guid.NewGuid().ToString("N") };
        await db.ForTenant(tenant.Id).InsertAsync(video);
        Assert.Equal(VideoSource.PodcastFeed, (await db.ForTenant(tenant.Id).Videos.SingleAsync(v => v.Id == video.Id)).Source);

        await using var connection = new NpgsqlConnection(WithoutSearchPath);
        await connection.OpenAsync();
        var schemas = new[] { "public", PostgresFixture.SecondSchema };
        var holding = new System.Collections.Generic.List<string>();
        foreach (var schema in schemas)
        {
            await using var count = new NpgsqlCommand($"SELECT count(*) FROM \"{schema}\".videos WHERE id = $1 AND source = 'podcast_feed'", connection) { Parameters = { new() { Value = video.Id } } };
            if ((long)(await count.ExecuteScalarAsync())! == 1)
                holding.Add(schema);
        }
        return holding.ToArray();
    }

    [Fact]
    public async Task The_search_path_of_the_connection_string_chooses_the_copy()
        => Assert.Equal(new[] { PostgresFixture.SecondSchema }, await SchemasHoldingANewVideoAsync(Db));

    [Fact]
    public async Task Without_a_search_path_the_tables_and_types_of_public_are_used()
    {
        await using var dataSource = TestTenantKey.CreateDataSource(WithoutSearchPath);
        await using var db = new NarralyticaDb(dataSource);
        Assert.Equal(new[] { "public" }, await SchemasHoldingANewVideoAsync(db));
    }

    [Fact]
    public async Task The_schema_option_chooses_the_copy_and_becomes_the_search_path()
    {
        await using var dataSource = TestTenantKey.CreateDataSource(WithoutSearchPath, schema: PostgresFixture.SecondSchema);
        await using var db = new NarralyticaDb(dataSource);
        Assert.Equal(new[] { PostgresFixture.SecondSchema }, await SchemasHoldingANewVideoAsync(db));
    }

    [Fact]
    public void A_schema_option_that_contradicts_the_search_path_is_refused_with_what_to_do()
    {
        var error = Assert.Throws<ArgumentException>(() => TestTenantKey.CreateDataSource(ConnectionString, schema: "public"));
        Assert.Contains("does not start with the schema \"public\"", error.Message);
        Assert.Contains("Drop Search Path from the connection string, or put \"public\" first", error.Message);
    }

    [Fact]
    public async Task The_first_schema_of_a_longer_search_path_is_the_one_used_and_user_is_skipped()
    {
        var path = new NpgsqlConnectionStringBuilder(ConnectionString) { SearchPath = $"\"$user\", \"{PostgresFixture.SecondSchema}\", public" }.ConnectionString;
        await using var dataSource = TestTenantKey.CreateDataSource(path);
        await using var db = new NarralyticaDb(dataSource);
        Assert.Equal(new[] { PostgresFixture.SecondSchema }, await SchemasHoldingANewVideoAsync(db));
    }
}
