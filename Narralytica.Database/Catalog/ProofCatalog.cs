using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Narralytica.Schema.Model;
using Narralytica.Schema.Sql;
using Npgsql;

namespace Narralytica.Database.Catalog;

/// <summary>
/// The signed tenant of a live schema (<see cref="TenantProof"/>): whether the key table exists and what the application
/// role holds on it (it should hold nothing), and the definitions of the verifying function and of the procedure that sets
/// a proof. A definition is its kind, language, SECURITY DEFINER, volatility and body; the pinned search path is compared
/// by shape (pg_catalog first, the function's own schema next, pg_temp last), since the schema names differ between the
/// live schema and drift's scratch build.
/// </summary>
public sealed record ProofCatalog(bool KeyTable, TablePrivileges KeyTablePrivileges, string? VerifyFunction, string? SetProofProcedure)
{
    public static ProofCatalog None { get; } = new(false, TablePrivileges.None, null, null);

    /// <summary>What <see cref="SchemaModel.TenantProof"/> means in a live database: the key table and both routines exist (drift compares their definitions).</summary>
    public bool IsComplete => KeyTable && VerifyFunction is not null && SetProofProcedure is not null;

    internal static async Task<ProofCatalog> ReadAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string schema,
        bool keyTable, TablePrivileges keyTablePrivileges, CancellationToken cancellationToken)
    {
        var routines = await CatalogReader.QueryAsync(connection, transaction, $"""
            SELECT p.proname,
                   p.prokind::text || ' ' || l.lanname || CASE WHEN p.prosecdef THEN ' security definer' ELSE '' END || ' ' || p.provolatile::text
                   || ' ' || pg_get_function_identity_arguments(p.oid)
                   || CASE WHEN p.proconfig[1] LIKE 'search_path=pg\_catalog, %' AND p.proconfig[1] LIKE '%, pg\_temp'
                                AND (p.proconfig[1] LIKE 'search_path=pg\_catalog, ' || quote_ident(n.nspname) || ', %') THEN ' pinned' ELSE coalesce(' set ' || array_to_string(p.proconfig, ','), '') END
                   || ' ' || p.prosrc
            FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang JOIN pg_namespace n ON n.oid = p.pronamespace
            WHERE n.nspname = @schema
              AND p.proname IN ({SqlIdentifier.Literal(TenantProof.VerifyFunction)}, {SqlIdentifier.Literal(TenantProof.SetProofProcedure)})
            ORDER BY 1, 2
            """, schema, cancellationToken);
        string? Definition(string name) => routines.Where(r => (string)r[0]! == name).Select(r => (string)r[1]!).FirstOrDefault();
        return new ProofCatalog(keyTable, keyTablePrivileges, Definition(TenantProof.VerifyFunction), Definition(TenantProof.SetProofProcedure));
    }
}
