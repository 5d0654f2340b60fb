namespace Narralytica.Tests.Analyzers;

/// <summary>
/// The Dapper and EF Core methods that take raw SQL, declared with their real names and signatures so that
/// snippets can call them without the packages (the analyzer knows them by name).
/// </summary>
public static class ThirdPartySqlApis
{
    public const string Source = """
        using System.Collections.Generic;
        using System.Data;
        using System.Linq;
        using System.Threading;
        using System.Threading.Tasks;

        namespace Dapper
        {
            public static class SqlMapper
            {
                public static IEnumerable<T> Query<T>(this IDbConnection cnn, string sql, object? param = null) => new T[0];
                public static Task<IEnumerable<T>> QueryAsync<T>(this IDbConnection cnn, string sql, object? param = null) => Task.FromResult<IEnumerable<T>>(new T[0]);
                public static int Execute(this IDbConnection cnn, string sql, object? param = null) => 0;
            }
        }

        namespace Microsoft.EntityFrameworkCore.Infrastructure
        {
            public class DatabaseFacade { }
        }

        namespace Microsoft.EntityFrameworkCore
        {
            using Microsoft.EntityFrameworkCore.Infrastructure;

            public static class RelationalQueryableExtensions
            {
                public static IQueryable<T> FromSqlRaw<T>(this IQueryable<T> source, string sql, params object[] parameters) => source;
            }

            public static class RelationalDatabaseFacadeExtensions
            {
                public static int ExecuteSqlRaw(this DatabaseFacade databaseFacade, string sql, params object[] parameters) => 0;
                public static Task<int> ExecuteSqlRawAsync(this DatabaseFacade databaseFacade, string sql, CancellationToken cancellationToken = default) => Task.FromResult(0);
                public static IQueryable<T> SqlQueryRaw<T>(this DatabaseFacade databaseFacade, string sql, params object[] parameters) => new T[0].AsQueryable();
            }
        }
        """;
}
