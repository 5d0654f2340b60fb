using System.Linq;
using Microsoft.EntityFrameworkCore;
using Narralytica.Model;
using Narralytica.Runtime;
using Npgsql;

namespace Narralytica.Benchmarks.Competitors;

/// <summary>
/// The smallest EF Core model for the hot paths: the generated Segment and Layer classes mapped to their
/// tables, snake_case columns, keys (tenant_id, id), the layer → segment foreign key, and linq2db's
/// association properties left out.
/// </summary>
public sealed class EfCoreContext : DbContext
{
    public EfCoreContext(DbContextOptions<EfCoreContext> options) : base(options)
    {
    }

    public DbSet<Segment> Segments => Set<Segment>();

    public DbSet<Layer> Layers => Set<Layer>();

    public static DbContextOptions<EfCoreContext> Options(NpgsqlDataSource dataSource)
        => new DbContextOptionsBuilder<EfCoreContext>().UseNpgsql(dataSource).Options;

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<Segment>(segment =>
        {
            segment.ToTable("segments");
            segment.HasKey(s => new { s.TenantId, s.Id });
            segment.Ignore(s => s.Tenant);
            segment.Ignore(s => s.Transcript);
            segment.Ignore(s => s.Speaker);
            segment.Ignore(s => s.Layers);
        });
        modelBuilder.Entity<Layer>(layer =>
        {
            layer.ToTable("layers");
            layer.HasKey(l => new { l.TenantId, l.Id });
            layer.Property(l => l.Payload).HasColumnType("jsonb");
            // The composite foreign key of the schema; it also makes SaveChanges insert segments before their layers.
            layer.HasOne<Segment>().WithMany().HasForeignKey(l => new { l.TenantId, l.SegmentId });
            layer.Ignore(l => l.Tenant);
            layer.Ignore(l => l.Segment);
        });
        foreach (var property in modelBuilder.Model.GetEntityTypes().SelectMany(e => e.GetProperties()))
        {
            property.SetColumnName(SnakeCase(property.Name));
            // Keys are client-generated UUIDv7 ids: EF Core must send them, not expect the database to make them.
            property.ValueGenerated = Microsoft.EntityFrameworkCore.Metadata.ValueGenerated.Never;
        }
    }

    private static string SnakeCase(string name)
        => string.Concat(name.Select((c, i) => char.IsUpper(c) && i > 0 ? "_" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));
}
