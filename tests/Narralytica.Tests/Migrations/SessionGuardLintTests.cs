using System.Linq;
using Narralytica.Schema.Migrations;
using Narralytica.Schema.Sql;
using Xunit;

namespace Narralytica.Tests.Migrations;

/// <summary>
/// The lanes' session guards as the lint of hand-written migrations sees them (NARR3033): giving a lane TEMPORARY back,
/// or a search path that does not end with pg_temp, is a finding; the guards' own statements are not.
/// </summary>
public sealed class SessionGuardLintTests
{
    [Theory]
    [InlineData("GRANT TEMPORARY ON DATABASE app TO PUBLIC;", "NARR3033")]
    [InlineData("GRANT TEMP ON DATABASE app TO narralytica_app;", "NARR3033")]
    [InlineData("GRANT ALL PRIVILEGES ON DATABASE app TO narralytica_worker, someone;", "NARR3033")]
    [InlineData("GRANT CONNECT ON DATABASE app TO narralytica_app;", null)]
    [InlineData("GRANT TEMPORARY ON DATABASE app TO narralytica_owner;", null)]
    [InlineData("ALTER ROLE narralytica_app SET search_path = pg_temp, public;", "NARR3033")]
    [InlineData("ALTER ROLE narralytica_reader IN DATABASE app SET search_path TO public;", "NARR3033")]
    [InlineData("ALTER ROLE narralytica_worker RESET search_path;", "NARR3033")]
    [InlineData("ALTER ROLE narralytica_app IN DATABASE app SET search_path = app, pg_catalog, pg_temp;", null)]
    [InlineData("ALTER ROLE narralytica_app SET statement_timeout = '30s';", null)]
    [InlineData("ALTER ROLE narralytica_owner SET search_path = public;", null)]
    public void The_lint_reports_what_undoes_the_lanes_session_guards(string sql, string? rule)
    {
        var findings = StatementLint.Lint(MigrationFile.Read("0002_x.sql", "-- hand-written\n\n" + sql + "\n"));
        Assert.Equal(rule is null ? System.Array.Empty<string>() : new[] { rule }, findings.Select(f => f.Rule.Id));
    }

    [Fact]
    public void The_guards_own_statements_are_no_finding()
    {
        var text = "-- hand-written\n\n" + string.Join("\n\n", SessionGuards.Create()) + "\n";
        Assert.Empty(StatementLint.Lint(MigrationFile.Read("0002_x.sql", text)));
    }
}
