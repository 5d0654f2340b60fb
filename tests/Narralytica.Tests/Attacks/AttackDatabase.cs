using System;
using System.Threading;
using System.Threading.Tasks;
using Narralytica.Model;
using Narralytica.Runtime;
using Narralytica.Schema.Sql;
using Narralytica.Tests.Infrastructure;
using Npgsql;

namespace Narralytica.Tests.Attacks;

/// <summary>
/// Databases for the attacks, built the way production ones are: by the migrations (<see cref="SchemaMigrator"/>),
/// not by the fresh-database DDL. The migrations run once, into a template; each attack gets a copy of it.
/// </summary>
public static class AttackDatabase
{
    /// <summary>The login the attacks connect with (left on a shared server, like the demo's test user).</summary>
    public const string AttackerLogin = "narralytica_attacker";
    public const string AttackerPassword = "attacker";

    /// <summary>The login of each lane's attacker: a member of that lane's role and nothing more (the application's is <see cref="AttackerLogin"/>).</summary>
    public static string LoginOf(string role) => role == DatabaseRoles.App ? AttackerLogin : AttackerLogin + "_" + role.Substring("narralytica_".Length);

    /// <summary>The change streams' login, as <c>roles create --stream-login</c> makes it: REPLICATION, a member of the readers' role only.</summary>
    public const string StreamLogin = AttackerLogin + "_stream";

    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static string? _template;
    private static int _copies;

    /// <summary>A new database holding the migrated schema and no rows.</summary>
    public static async Task<string> CreateAsync(PostgresFixture postgres)
    {
        var template = await TemplateAsync(postgres);
        var builder = new NpgsqlConnectionStringBuilder(template);
        var name = $"{builder.Database}_{Interlocked.Increment(ref _copies)}";
        await PostgresFixture.ExecuteAsync(new NpgsqlConnectionStringBuilder(template) { Database = "postgres" }.ConnectionString,
            $"CREATE DATABASE {name} TEMPLATE {builder.Database}");
        var copy = new NpgsqlConnectionStringBuilder(template) { Database = name }.ConnectionString;
        // A copy starts with the default privileges on the database and no role settings in it: what the migrations did
        // at the database's level (the lanes' session guards) is done again, as on the template.
        foreach (var statement in SessionGuards.Create())
            await PostgresFixture.ExecuteAsync(copy, statement);
        return copy;
    }

    private static async Task<string> TemplateAsync(PostgresFixture postgres)
    {
        await Gate.WaitAsync();
        try
        {
            if (_template is null)
            {
                var connectionString = await postgres.CreateEmptyDatabaseAsync();
                await using (var dataSource = NpgsqlDataSource.Create(connectionString))
                    await new SchemaMigrator(dataSource).ApplyAsync();
                await TestTenantKey.InstallAsync(connectionString);
                // The attacker's login: a member of the application role and nothing more, as an application's login is.
                foreach (var role in DatabaseRoles.Lanes)
                    await PostgresFixture.ExecuteAsync(connectionString,
                        $"DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{LoginOf(role)}') THEN "
                        + $"CREATE ROLE {LoginOf(role)} LOGIN PASSWORD '{AttackerPassword}' IN ROLE {role}; END IF; END $$");
                await PostgresFixture.ExecuteAsync(connectionString,
                    $"DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{StreamLogin}') THEN "
                    + $"CREATE ROLE {StreamLogin} {Narralytica.Schema.Sql.StreamLogin.Attributes} PASSWORD '{AttackerPassword}' IN ROLE {Narralytica.Schema.Sql.StreamLogin.MemberOf}; END IF; END $$");
                // A template must have no open connection when it is copied.
                NpgsqlConnection.ClearAllPools();
                _template = connectionString;
            }
            return _template;
        }
        finally
        {
            Gate.Release();
        }
    }
}
