using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using Narralytica.Schema.Sql;

namespace Narralytica.Schema.Migrations;

/// <summary>A safety finding in a migration file, at the line of its statement.</summary>
public sealed record StatementFinding(MigrationRule Rule, int Line, string Message);

/// <summary>
/// Reads the SQL of a migration file and finds the unsafe statements, whoever wrote them: the
/// backstop of <c>migrations check</c> for hand-edited or hand-written migrations. It knows less
/// than the differ (no schema.yaml, no old types), so it flags a subset of what the differ flags,
/// never more: every statement the differ writes is covered by the categories it accepted.
/// </summary>
public static class StatementLint
{
    private const string Simple = @"(?:""(?:[^""]|"""")+""|[a-z_][a-z0-9_$]*)";
    // A name, possibly schema-qualified: the part after the dot is the object.
    private const string Name = @"(?:" + Simple + @"\.)?" + Simple;
    private const RegexOptions Options = RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Singleline;

    private static readonly Regex CreateTable = new($@"^CREATE\s+TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?(?<table>{Name})", Options);
    private static readonly Regex AlterTable = new($@"^ALTER\s+TABLE\s+(?:IF\s+EXISTS\s+)?(?:ONLY\s+)?(?<table>{Name})\s+(?<action>.*)$", Options);
    private static readonly Regex AddConstraint = new($@"^ADD\s+(?:CONSTRAINT\s+(?<name>{Simple})\s+)?(?<kind>PRIMARY\s+KEY|UNIQUE|CHECK|FOREIGN\s+KEY)", Options);
    private static readonly Regex DropConstraint = new($@"\bDROP\s+CONSTRAINT\s+(?:IF\s+EXISTS\s+)?(?<name>{Name})", Options);
    private static readonly Regex CreateIndex = new($@"^CREATE\s+(?<unique>UNIQUE\s+)?INDEX\s+(?<concurrently>CONCURRENTLY\s+)?(?:IF\s+NOT\s+EXISTS\s+)?(?<name>{Name})\s+ON\s+(?:ONLY\s+)?(?<table>{Name})", Options);
    private static readonly Regex DropIndex = new($@"^DROP\s+INDEX\s+(?:CONCURRENTLY\s+)?(?:IF\s+EXISTS\s+)?(?<name>{Name})", Options);
    private static readonly Regex AddColumn = new($@"^ADD\s+(?:COLUMN\s+)?(?:IF\s+NOT\s+EXISTS\s+)?(?<column>{Simple})\s+(?<definition>.*)$", Options);
    // "ALTER COLUMN type SET DEFAULT …" names a column called type: COLUMN is a keyword only when a name follows it.
    private static readonly Regex AlterType = new($@"^ALTER\s+(?:COLUMN\s+{Simple}|(?!COLUMN\b){Simple})\s+(?:SET\s+DATA\s+)?TYPE\s+(?<type>.*?)(?<using>\s+USING\b.*)?$", Options);
    private static readonly Regex Policy = new($@"^(?<verb>CREATE|ALTER|DROP)\s+POLICY\s+(?:IF\s+EXISTS\s+)?(?<name>{Simple})\s+ON\s+(?<table>{Name})", Options);
    private static readonly Regex WeakensRowSecurity = new(@"^(?:NO\s+FORCE|DISABLE)\s+ROW\s+LEVEL\s+SECURITY\b", Options);
    // The lanes' session guards (SessionGuards): TEMPORARY given back on the database, a lane's search path changed.
    private static readonly Regex GrantOnDatabase = new(@"^GRANT\s+(?<privileges>.+?)\s+ON\s+DATABASE\s+.+?\s+TO\s+(?<grantees>.+?)(?:\s+WITH\s+GRANT\s+OPTION)?$", Options);
    private static readonly Regex LaneSearchPath = new(@"^ALTER\s+ROLE\s+(?<role>\S+)\s+(?:IN\s+DATABASE\s+\S+\s+)?(?:SET\s+search_path\s*(?:=|\s+TO\s+)\s*(?<path>.+)|RESET\s+(?:search_path|ALL))$", Options);

    public static IReadOnlyList<StatementFinding> Lint(MigrationFile migration)
    {
        var statements = migration.Statements;
        // What the file itself creates is new: changing it cannot hurt existing rows.
        var newTables = new HashSet<string>(statements.Select(s => CreateTable.Match(s.Sql)).Where(m => m.Success).Select(m => Unquote(m.Groups["table"].Value)));
        var createdNames = new HashSet<string>(statements.SelectMany(s => CreatedNames(s.Sql)));
        var nullColumns = new HashSet<(string, string)>(statements.SelectMany(s => AddedNullColumns(s.Sql)));
        var findings = new List<StatementFinding>();
        foreach (var statement in statements)
            findings.AddRange(LintStatement(statement, newTables, createdNames, nullColumns));
        return findings;
    }

    private static IEnumerable<string> CreatedNames(string sql)
    {
        if (AlterTable.Match(Regex.Replace(sql, @"\s+", " ")) is { Success: true } alter)
            foreach (var action in Actions(alter.Groups["action"].Value))
                if (AddConstraint.Match(action) is { Success: true } constraint && constraint.Groups["name"].Success)
                    yield return Unquote(constraint.Groups["name"].Value);
        if (CreateIndex.Match(sql) is { Success: true } index)
            yield return Unquote(index.Groups["name"].Value);
    }

    /// <summary>What a statement undoes of the lanes' session guards, or null.</summary>
    private static string? SessionGuardFinding(string sql)
    {
        bool IsLane(string name) => name.Equals("PUBLIC", System.StringComparison.OrdinalIgnoreCase) || name.Equals("ALL", System.StringComparison.OrdinalIgnoreCase)
                                    || DatabaseRoles.Lanes.Contains(Unquote(name));
        if (GrantOnDatabase.Match(sql) is { Success: true } grant
            && Regex.IsMatch(grant.Groups["privileges"].Value, @"\b(?:TEMP|TEMPORARY|ALL)\b", Options)
            && grant.Groups["grantees"].Value.Split(',').Select(g => g.Trim()).FirstOrDefault(IsLane) is { } grantee)
            return $"gives TEMPORARY on the database to {grantee}: a temporary table named like a table of the schema would shadow it in the data layer's SQL";
        if (LaneSearchPath.Match(sql) is { Success: true } path && IsLane(path.Groups["role"].Value)
            && !(path.Groups["path"].Success && SessionGuards.EndsWithTemporarySchema(path.Groups["path"].Value.Replace("'", "").Replace("\"", ""))))
            return $"changes the search path of {path.Groups["role"].Value} so that it no longer ends with pg_temp: pg_temp is then searched first";
        return null;
    }

    /// <summary>Columns the file adds nullable and without a default, by table: every existing row holds NULL in them.</summary>
    private static IEnumerable<(string Table, string Column)> AddedNullColumns(string sql)
    {
        if (AlterTable.Match(Regex.Replace(sql.TrimEnd(';'), @"\s+", " ")) is not { Success: true } alter)
            yield break;
        foreach (var action in Actions(alter.Groups["action"].Value))
            if (AddColumn.Match(action) is { Success: true } column && !AddConstraint.IsMatch(action)
                && !Regex.IsMatch(column.Groups["definition"].Value, @"\b(NOT\s+NULL|DEFAULT|PRIMARY|CHECK|REFERENCES|UNIQUE|GENERATED)\b", Options))
                yield return (Unquote(alter.Groups["table"].Value), Unquote(column.Groups["column"].Value));
    }

    private static IEnumerable<StatementFinding> LintStatement(SqlStatement statement, HashSet<string> newTables, HashSet<string> createdNames, HashSet<(string, string)> nullColumns)
    {
        var sql = Regex.Replace(statement.Sql.TrimEnd(';'), @"\s+", " ");
        StatementFinding Finding(MigrationRule rule, string message) => new(rule, statement.Line, message);

        if (SessionGuardFinding(sql) is { } weakened)
            yield return Finding(MigrationRules.SessionGuardWeakened, weakened);
        if (Regex.IsMatch(sql, @"^DROP\s+TABLE\b", Options))
            yield return Finding(MigrationRules.DropTable, "DROP TABLE deletes the table and its rows");
        if (Regex.IsMatch(sql, @"^DROP\s+TYPE\b", Options))
            yield return Finding(MigrationRules.DropEnumValue, "DROP TYPE removes an enum type (or the old copy of a recreated enum, whose removed values are gone)");
        if (DropIndex.Match(sql) is { Success: true } dropIndex && !createdNames.Contains(Unquote(dropIndex.Groups["name"].Value)))
            yield return Finding(MigrationRules.DropIndex, $"drops index {dropIndex.Groups["name"].Value}, which the migration does not create again");
        if (CreateIndex.Match(sql) is { Success: true } index && !newTables.Contains(Unquote(index.Groups["table"].Value)))
        {
            if (!index.Groups["concurrently"].Success)
                yield return Finding(MigrationRules.BlockingIndex, $"builds index {index.Groups["name"].Value} on existing table {index.Groups["table"].Value} without CONCURRENTLY, blocking writes");
            if (index.Groups["unique"].Success)
                yield return Finding(MigrationRules.NewUniqueKey, $"unique index {index.Groups["name"].Value} fails if existing rows repeat its columns");
        }

        if (Regex.IsMatch(sql, @"^(TRUNCATE|DROP\s+(SCHEMA|VIEW|MATERIALIZED\s+VIEW|SEQUENCE|FUNCTION|PROCEDURE|TRIGGER))\b", Options))
            yield return Finding(MigrationRules.DropTable, $"{sql.Split(' ')[0].ToUpperInvariant()} {sql.Split(' ')[1].ToUpperInvariant()}: deletes rows or an object schema.yaml does not describe");
        if (Policy.Match(sql) is { Success: true } policy && PolicyFinding(policy) is { } policyFinding)
            yield return Finding(policyFinding.Rule, policyFinding.Message);

        var alter = AlterTable.Match(sql);
        if (!alter.Success || newTables.Contains(Unquote(alter.Groups["table"].Value)))
            yield break;
        var table = alter.Groups["table"].Value;
        foreach (var action in Actions(alter.Groups["action"].Value))
            foreach (var finding in LintAction(action, table, createdNames, nullColumns))
                yield return new StatementFinding(finding.Rule, statement.Line, finding.Message);
    }

    /// <summary>
    /// The tenant policies (<see cref="TenantIsolation.Policies"/>, the lanes' included) are permissive: dropping one only narrows what a
    /// transaction sees, so it is no finding. Any other policy is one schema.yaml does not describe: dropping it
    /// may remove a restriction, creating or altering one may let other tenants' rows through.
    /// </summary>
    private static (MigrationRule Rule, string Message)? PolicyFinding(Match policy)
    {
        var name = Unquote(policy.Groups["name"].Value);
        var table = policy.Groups["table"].Value;
        var tenantPolicy = name is TenantIsolation.TenantPolicy or TenantIsolation.CrossTenantReadPolicy
            or CallerLanes.ReaderReadPolicy or CallerLanes.QueueClaimPolicy or CallerLanes.QueueFinishPolicy or CallerLanes.QueueFunctionsPolicy;
        return policy.Groups["verb"].Value.ToUpperInvariant() switch
        {
            "DROP" when tenantPolicy => null,
            "DROP" => (MigrationRules.DropTable, $"DROP POLICY {name} on {table}: deletes an object schema.yaml does not describe"),
            "CREATE" when tenantPolicy => null,
            "CREATE" => (MigrationRules.RowSecurityDisabled, $"creates policy {name} on {table}, which schema.yaml does not describe: a permissive policy lets more rows through"),
            _ => (MigrationRules.RowSecurityDisabled, $"alters policy {name} on {table}: its new condition may let other tenants' rows through"),
        };
    }

    /// <summary>One action of an ALTER TABLE (they are separated by top-level commas).</summary>
    private static IEnumerable<(MigrationRule Rule, string Message)> LintAction(string action, string table, HashSet<string> createdNames, HashSet<(string, string)> nullColumns)
    {
        if (Regex.IsMatch(action, @"^DROP\s+(?:COLUMN\s+)?(?!CONSTRAINT\b)", Options))
            yield return (MigrationRules.DropColumn, $"drops a column of {table} and its data");
        if (DropConstraint.Match(action) is { Success: true } drop && !createdNames.Contains(Unquote(drop.Groups["name"].Value)))
            yield return (MigrationRules.DropConstraint, $"drops constraint {drop.Groups["name"].Value} of {table}, which the migration does not add again");
        if (WeakensRowSecurity.IsMatch(action))
            yield return (MigrationRules.RowSecurityDisabled, $"{Regex.Replace(action, @"\s+", " ").ToUpperInvariant()} on {table}: PostgreSQL no longer keeps its rows to the transaction's tenant");
        if (Regex.IsMatch(action, @"\bSET\s+NOT\s+NULL\b", Options))
            yield return (MigrationRules.SetNotNull, $"SET NOT NULL on {table} fails if a row holds NULL");
        if (AddColumn.Match(action) is { Success: true } column && !AddConstraint.IsMatch(action))
        {
            var definition = column.Groups["definition"].Value;
            if (Regex.IsMatch(definition, @"\bNOT\s+NULL\b", Options) && !Regex.IsMatch(definition, @"\bDEFAULT\b", Options))
                yield return (MigrationRules.NotNullWithoutDefault, $"adds a NOT NULL column without a default to {table}: fails when the table has rows");
            if (Regex.IsMatch(definition, @"\bDEFAULT\b", Options) && VolatileFunctions.AnyCalledIn(definition))
                yield return (MigrationRules.VolatileDefault, $"adds a column with a volatile default to {table}: every row is rewritten under an exclusive lock");
        }
        if (AlterType.Match(action) is { Success: true } type)
        {
            if (type.Groups["using"].Success)
                yield return (MigrationRules.NarrowingType, $"converts a column of {table} with USING: fails if a value does not convert");
            if (type.Groups["using"].Success || !Regex.IsMatch(type.Groups["type"].Value.Trim(), @"^(text|character varying|varchar|numeric)\b", Options))
                yield return (MigrationRules.RewritesTable, $"changes a column type of {table}, rewriting the table under an exclusive lock");
        }
        if (AddConstraint.Match(action) is { Success: true } constraint)
        {
            var kind = Regex.Replace(constraint.Groups["kind"].Value.ToUpperInvariant(), @"\s+", " ");
            var name = constraint.Groups["name"].Success ? constraint.Groups["name"].Value + " " : "";
            var notValid = Regex.IsMatch(action, @"\bNOT\s+VALID\b", Options);
            if (kind is "PRIMARY KEY" or "UNIQUE")
                yield return (MigrationRules.NewUniqueKey, $"adds {kind} {name}to existing table {table}: fails on duplicate rows");
            // A check over a column the file adds (nullable, no default) sees NULL on every row; the differ judges the rest.
            var onNewColumn = nullColumns.Any(c => c.Item1 == Unquote(table) && SqlExpression.MentionsIdentifier(action.Substring(constraint.Length), c.Item2));
            if (kind == "CHECK" && !onNewColumn)
                yield return (MigrationRules.NewCheck, $"adds check {name}to existing table {table}: fails if a row breaks it");
            if (kind is "CHECK" or "FOREIGN KEY" && !notValid)
                yield return (MigrationRules.ValidatingConstraint, $"adds {kind} {name}to existing table {table} without NOT VALID: every row is checked under a lock that blocks writes");
        }
    }

    /// <summary>Splits at commas outside parentheses, literals, quoted names and comments.</summary>
    private static IEnumerable<string> Actions(string actions)
    {
        var depth = 0;
        var start = 0;
        foreach (var lexeme in SqlLexer.Lex(actions))
        {
            if (lexeme.Kind != SqlLexemeKind.Punctuation || lexeme.Length != 1)
                continue;
            var c = actions[lexeme.Start];
            if (c == '(') depth++;
            else if (c == ')') depth--;
            else if (c == ',' && depth == 0)
            {
                yield return actions.Substring(start, lexeme.Start - start).Trim();
                start = lexeme.End;
            }
        }
        yield return actions.Substring(start).Trim();
    }

    private static readonly Regex LastPart = new($@"(?<last>{Simple})$", Options);

    /// <summary>The object's own name, unquoted (schema.table → table); unquoted names fold to lower case as in PostgreSQL.</summary>
    private static string Unquote(string name) => SqlIdentifier.Unquote(LastPart.Match(name).Groups["last"].Value);
}
