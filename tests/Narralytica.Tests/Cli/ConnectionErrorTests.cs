using System.Text.Json;
using System.Threading.Tasks;
using Narralytica.Tests.Infrastructure;
using Npgsql;
using Xunit;

namespace Narralytica.Tests.Cli;

/// <summary>Each common connection failure says what went wrong and what to do, in text and as a --json error code.</summary>
[Collection(PostgresCollection.Name)]
public sealed class ConnectionErrorTests
{
    private readonly PostgresFixture _postgres;

    public ConnectionErrorTests(PostgresFixture postgres) => _postgres = postgres;

    private async Task<(string Code, string Message)> FailAsync(string command, string connectionString)
    {
        var (exit, output, errors) = await Infrastructure.CommandLine.RunAsync(command, "--connection", connectionString, "--json");
        Assert.Equal(1, exit);
        using var json = JsonDocument.Parse(output);
        var error = json.RootElement.GetProperty("error");
        var message = error.GetProperty("message").GetString()!;
        Assert.Contains(message, errors);
        return (error.GetProperty("code").GetString()!, message);
    }

    [Fact]
    public async Task A_database_that_does_not_exist_says_so_and_not_a_word_about_credentials()
    {
        var connection = new NpgsqlConnectionStringBuilder(await _postgres.CreateEmptyDatabaseAsync()) { Database = "narralytica_no_such_database" }.ConnectionString;
        var (code, message) = await FailAsync("drift", connection);
        Assert.Equal("database_not_found", code);
        Assert.Contains("The database 'narralytica_no_such_database' does not exist", message);
        Assert.Contains("CREATE DATABASE narralytica_no_such_database", message);
        Assert.DoesNotContain("credential", message);
        Assert.DoesNotContain("Password", message);
    }

    [Fact]
    public async Task An_unknown_login_is_an_authentication_failure()
    {
        var connection = new NpgsqlConnectionStringBuilder(await _postgres.CreateEmptyDatabaseAsync()) { Username = "narralytica_no_such_login" }.ConnectionString;
        var (code, message) = await FailAsync("drift", connection);
        Assert.Equal("authentication_failed", code);
        Assert.Contains("refused the login of user 'narralytica_no_such_login'", message);
        Assert.Contains("Username=", message);
    }

    [Fact]
    public async Task Nothing_listening_is_a_refused_connection()
    {
        var (code, message) = await FailAsync("drift", "Host=127.0.0.1;Port=1;Username=nobody;Timeout=5");
        Assert.Equal("connection_refused", code);
        Assert.Contains("Nothing accepts connections on 127.0.0.1:1", message);
    }

    [Fact]
    public async Task An_unknown_host_is_named()
    {
        var (code, message) = await FailAsync("drift", "Host=narralytica-no-such-host.invalid;Username=nobody;Timeout=5");
        Assert.Equal("host_not_found", code);
        Assert.Contains("'narralytica-no-such-host.invalid'", message);
        Assert.Contains("Host=", message);
    }

    [Theory]
    [InlineData("Hots=nowhere")]
    [InlineData("Host=localhost;Port=notaport")]
    [InlineData("Database=app;Username=app")]
    public async Task A_malformed_connection_string_shows_the_form_to_write(string connectionString)
    {
        var (code, message) = await FailAsync("drift", connectionString);
        Assert.Equal("invalid_connection_string", code);
        Assert.Contains("is not a valid connection string", message);
        Assert.Contains("Host=localhost;Port=5432;Database=app", message);
    }
}
