using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Narralytica.Cli.Commands;
using Narralytica.Model;
using Narralytica.Runtime;
using Narralytica.Schema.Migrations;
using Narralytica.Schema.Sql;
using Narralytica.Tests.Infrastructure;
using Npgsql;
using Xunit;

namespace Narralytica.Tests.Apply;

/// <summary>
/// A migration amended by hand (<c>-- narralytica:amends &lt;checksum&gt;: &lt;why&gt;</c>): a database that applied the earlier
/// text sees no conflict and applies what follows, its history keeping what ran; any other checksum is still a mismatch,
/// and a malformed amends line is an error naming the file and the line. Migration 0015 is the repository's case.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class AmendedMigrationTests
{
    private const string GuardFile = "0015_guard_large_objects.sql";

    private readonly PostgresFixture _postgres;

    public AmendedMigrationTests(PostgresFixture postgres) => _postgres = postgres;

    private static string RepositoryText(string fileName) => File.ReadAllText(Path.Combine(RepositoryFiles.Root, "migrations", fileName)).Replace("\r\n", "\n");

    /// <summary>
    /// Migration 0015 as databases applied it before it was amended: the header without the amendment's lines, the REVOKE
    /// without the block that catches its refusal. Its checksum proves it is exactly that text.
    /// </summary>
    private static string EarlierGuardText()
    {
        var lines = RepositoryText(GuardFile).Split('\n').ToList();
        var first = lines.FindIndex(l => l.StartsWith("-- Amended by hand", System.StringComparison.Ordinal));
        var directive = lines.FindIndex(l => l.StartsWith(MigrationFile.AmendsDirective, System.StringComparison.Ordinal));
        lines.RemoveRange(first - 1, directive - first + 2); // with the "--" line that set the amendment apart
        return string.Join("\n", lines)
            .Replace("DO $$ BEGIN BEGIN EXECUTE", "DO $$ BEGIN EXECUTE")
            .Replace(" EXCEPTION WHEN insufficient_privilege THEN NULL; END;", "");
    }

    private async Task<NpgsqlDataSource> EmptyDatabaseAsync() => NpgsqlDataSource.Create(await _postgres.CreateEmptyDatabaseAsync());

    [Fact]
    public void Migration_0015_amends_its_earlier_text_with_the_guard_the_differ_now_writes()
    {
        var guard = MigrationFile.Read(GuardFile, RepositoryText(GuardFile));
        var amendment = Assert.Single(guard.Amends);
        Assert.Equal(MigrationFile.ChecksumOf(EarlierGuardText()), amendment.Checksum);
        Assert.Equal(LargeObjectGuards.Revoke(), Assert.Single(guard.Statements).Sql);
        // The layer compiled into the model carries the declaration too, so an application migrating at start-up accepts the earlier text.
        Assert.Equal(new[] { amendment.Checksum }, NarralyticaMigrations.All.Single(m => m.FileName == GuardFile).Amends);
    }

    [Fact]
    public async Task A_database_that_applied_the_earlier_text_of_0015_shows_no_conflict_and_applies_the_later_migrations()
    {
        var connection = await _postgres.CreateEmptyDatabaseAsync();
        await using var dataSource = NpgsqlDataSource.Create(connection);
        var files = MigrationSet.From(Directory.GetFiles(Path.Combine(RepositoryFiles.Root, "migrations")).Select(f => (Path.GetFileName(f), File.ReadAllText(f)))).Migrations;
        var upToGuard = files.TakeWhile(m => m.FileName != GuardFile).Append(MigrationFile.Read(GuardFile, EarlierGuardText())).ToList();
        await new SchemaMigrator(dataSource, MigrationsFolder.ToSchemaMigrations(upToGuard)).ApplyAsync();

        var migrator = new SchemaMigrator(dataSource, TestMigrations.Repository());
        var status = await migrator.StatusAsync();
        Assert.Empty(status.Conflicts);
        var amended = Assert.Single(status.Amended);
        Assert.Equal(GuardFile, amended.Migration.FileName);
        Assert.Equal(MigrationFile.ChecksumOf(EarlierGuardText()), amended.Applied.Checksum);
        var later = files.SkipWhile(m => m.FileName != GuardFile).Skip(1).Select(m => m.FileName).ToList();
        Assert.NotEmpty(later);
        Assert.Equal(later, status.Pending.Select(m => m.FileName));

        var (exit, output, errors) = await CommandLine.RunAsync("migrations", "status", "--connection", connection, "--schema", RepositoryFiles.SchemaPath);
        Assert.True(exit == 2, output + errors); // pending, no conflict
        Assert.Matches($@"applied  {GuardFile.Replace(".", @"\.")} .* \(applied as an earlier text that this file amends, checksum {amended.Applied.Checksum.Substring(0, 12)}\)", output);

        Assert.Equal(later, (await migrator.ApplyAsync()).Select(m => m.FileName));
        Assert.True((await migrator.StatusAsync()).IsUpToDate);
        Assert.True((await new SchemaMigrator(dataSource).StatusAsync()).IsUpToDate); // the migrations compiled into the model
        // The history keeps what ran.
        await using var command = dataSource.CreateCommand($"SELECT checksum FROM narralytica_schema_history WHERE file_name = '{GuardFile}'");
        Assert.Equal(amended.Applied.Checksum, await command.ExecuteScalarAsync());
    }

    [Fact]
    public async Task An_amendment_accepts_only_the_checksums_it_names()
    {
        await using var dataSource = await EmptyDatabaseAsync();
        const string ran = "CREATE TABLE a (id integer);";
        await new SchemaMigrator(dataSource, TestMigrations.Of(ran)).ApplyAsync();

        const string sameEffect = "CREATE TABLE IF NOT EXISTS a (id integer);";
        var amending = TestMigrations.Of($"{MigrationFile.AmendsDirective}{MigrationFile.ChecksumOf(ran)}: re-runnable\n{sameEffect}", "CREATE TABLE b (id integer);");
        var status = await new SchemaMigrator(dataSource, amending).StatusAsync();
        Assert.Empty(status.Conflicts);
        Assert.Equal("0001_step_1.sql", Assert.Single(status.Amended).Migration.FileName);
        Assert.Equal(new[] { "0002_step_2.sql" }, (await new SchemaMigrator(dataSource, amending).ApplyAsync()).Select(m => m.FileName));

        var other = new string('0', 64);
        var wrong = TestMigrations.Of($"{MigrationFile.AmendsDirective}{other}: not the text that ran\n{sameEffect}", "CREATE TABLE b (id integer);");
        var refusal = await Assert.ThrowsAsync<MigrationConflictException>(() => new SchemaMigrator(dataSource, wrong).ApplyAsync());
        var conflict = Assert.Single(refusal.Conflicts);
        Assert.Equal(MigrationConflictKind.ChecksumMismatch, conflict.Kind);
        Assert.Contains($"0001_step_1.sql was applied with checksum {MigrationFile.ChecksumOf(ran)[..12]}, but its text now has", conflict.Message);
        Assert.Contains("amends only 000000000000", conflict.Message);
    }

    [Theory]
    [InlineData("-- narralytica:amends a14322321dbf: too short\nSELECT 1;", "0001_step_1.sql(1,1): has an amends line that names no checksum")]
    [InlineData("-- a header\n-- narralytica:amends a14322321dbfd574b21b4a129f4541eb88d1e9cf1c633dfbeb49369161b219eb\nSELECT 1;",
        "0001_step_1.sql(2,1): says which text it amends but not why")]
    [InlineData("SELECT 1;\n-- narralytica:amends a14322321dbfd574b21b4a129f4541eb88d1e9cf1c633dfbeb49369161b219eb: why\n",
        "0001_step_1.sql(2,1): has an amends line after its first statement")]
    public void A_malformed_amends_line_names_the_file_and_the_line(string text, string message)
    {
        var error = Assert.Throws<MigrationInputException>(() => MigrationFile.Read("0001_step_1.sql", text));
        Assert.StartsWith(message, error.Message);
    }

    [Fact]
    public async Task The_command_line_refuses_a_folder_with_a_malformed_amends_line_naming_the_file_and_the_line()
    {
        using var copy = new RepositoryCopy();
        var fileName = MigrationFile.FileNameFor(copy.MigrationNames().Length + 1, "hand_written");
        await File.WriteAllTextAsync(copy.MigrationPath(fileName), "-- hand-written\n-- narralytica:amends 0123: why\nSELECT 1;\n");
        var (exit, output, errors) = await copy.RunAsync("migrations", "hash");
        Assert.True(exit == 1, output + errors);
        Assert.Contains($"{fileName}(2,1): has an amends line that names no checksum: write `-- narralytica:amends <checksum>: <why>`", errors);
    }
}
