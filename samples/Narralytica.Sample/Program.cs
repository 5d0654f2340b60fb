using System.Security.Cryptography;
using LinqToDB;
using LinqToDB.Async;
using Narralytica.Model;
using Narralytica.Runtime;
using Npgsql;

// An application of the Narralytica packages: it migrates a database to the schema compiled into Narralytica.Model,
// creates a tenant, and writes and reads one tenant's rows through its tenant scope.
// Usage: dotnet run -- "Host=…;Database=…;Username=…;Password=…"   (or NARRALYTICA_SAMPLE_CONNECTION)
// The login must be able to create the schema (the database owner, or a superuser on a server of your own).

var connectionString = args.FirstOrDefault() ?? Environment.GetEnvironmentVariable("NARRALYTICA_SAMPLE_CONNECTION");
if (string.IsNullOrWhiteSpace(connectionString))
{
    Console.Error.WriteLine("Give the database as the first argument or in NARRALYTICA_SAMPLE_CONNECTION, e.g. \"Host=localhost;Database=sample;Username=postgres\".");
    return 2;
}

// The key that signs tenant proofs (`narralytica tenant-key new` makes one and prints how to install it).
var secret = RandomNumberGenerator.GetBytes(32);
var tenantKey = new TenantKey("sample-" + Guid.NewGuid().ToString("N")[..8], secret);

// 1. The migrations compiled into the package, applied with a plain data source: the schema's enum types do not exist yet.
await using (var plain = NpgsqlDataSource.Create(connectionString))
{
    var applied = await new SchemaMigrator(plain).ApplyAsync();
    Console.WriteLine($"Migrations: {applied.Count} applied, {NarralyticaMigrations.All.Count} in the package.");

    // The key installed as the database owner would.
    await using var install = plain.CreateCommand($"INSERT INTO {TenantContext.TenantKeyTable} (id, secret, expires_at) VALUES ($1, $2, now() + interval '1 day')");
    install.Parameters.Add(new NpgsqlParameter<string> { TypedValue = tenantKey.Id });
    install.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = secret });
    await install.ExecuteNonQueryAsync();
}

// 2. A tenant, written by the control plane (the lane that writes global tables).
var tenant = new Tenant { Slug = "sample-" + Guid.NewGuid().ToString("N")[..8], Name = "Sample tenant" };
await using (var controlSource = NarralyticaDb.CreateDataSource(connectionString, tenantKey, lane: DatabaseLane.ControlPlane))
await using (var control = new NarralyticaDb(controlSource))
    await control.ControlPlane.InsertAsync(tenant);

// 3. One tenant's rows, through its scope: the insert is stamped with the tenant, the query filtered on it.
await using var dataSource = NarralyticaDb.CreateDataSource(connectionString, tenantKey);
await using var db = new NarralyticaDb(dataSource);
var scope = db.ForTenant(tenant.Id);
var video = new Video { Source = VideoSource.Upload, ExternalId = "sample.mp4", Title = "A sample video" };
await scope.InsertAsync(video);
var found = await scope.FindVideoAsync(video.Id);
var count = await scope.Videos.CountAsync();
Console.WriteLine($"Tenant {tenant.Slug}: {count} video(s); found '{found?.Title}' by its key.");
return found?.Title == video.Title && count == 1 ? 0 : 1;
