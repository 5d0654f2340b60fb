using System.Security.Cryptography;
using Acme.Notes;
using LinqToDB;
using LinqToDB.Async;
using Narralytica.Runtime;
using Npgsql;

// A project of its own on the Narralytica packages: its schema.yaml (a global tenants table, two tenant tables, an
// enum) is its data layer, in its namespace Acme.Notes. It migrates a database with its own migrations, creates a
// tenant, and writes and reads that tenant's rows through its tenant scope.
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
var tenantKey = new TenantKey("notes-" + Guid.NewGuid().ToString("N")[..8], secret);

// 1. This project's migrations (migrations/, compiled in), applied with a plain data source: its enum type does not exist yet.
await using (var plain = NpgsqlDataSource.Create(connectionString))
{
    var applied = await new SchemaMigrator(plain).ApplyAsync();
    Console.WriteLine($"Migrations: {applied.Count} applied, {NarralyticaMigrations.All.Count} compiled in.");

    // The key installed as the database owner would.
    await using var install = plain.CreateCommand($"INSERT INTO {TenantContext.TenantKeyTable} (id, secret, expires_at) VALUES ($1, $2, now() + interval '1 day')");
    install.Parameters.Add(new NpgsqlParameter<string> { TypedValue = tenantKey.Id });
    install.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = secret });
    await install.ExecuteNonQueryAsync();
}

// 2. A tenant, written by the control plane (the lane that writes global tables).
var tenant = new Tenant { Slug = "acme-" + Guid.NewGuid().ToString("N")[..8], Name = "Acme" };
await using (var controlSource = NarralyticaDb.CreateDataSource(connectionString, tenantKey, lane: DatabaseLane.ControlPlane))
await using (var control = new NarralyticaDb(controlSource))
    await control.ControlPlane.InsertAsync(tenant);

// 3. The tenant's rows, through its scope: inserts are stamped with the tenant, queries filtered on it.
await using var dataSource = NarralyticaDb.CreateDataSource(connectionString, tenantKey);
await using var db = new NarralyticaDb(dataSource);
var scope = db.ForTenant(tenant.Id);
var notebook = new Notebook { Title = "Ideas" };
await scope.InsertAsync(notebook);
var note = new Note { NotebookId = notebook.Id, Body = "Ship the sample.", Status = NoteStatus.Published };
await scope.InsertAsync(note);

var published = await scope.Notes.Where(n => n.NotebookId == notebook.Id && n.Status == NoteStatus.Published).ToListAsync();
var found = await scope.FindNoteAsync(note.Id);
Console.WriteLine($"Tenant {tenant.Slug}: {published.Count} published note(s) in '{notebook.Title}'; found '{found?.Body}' by its key.");
return published.Count == 1 && found?.Body == note.Body ? 0 : 1;
