using System.Linq;
using Narralytica.Generator.Specs;
using Narralytica.Schema.Model;
using Narralytica.Schema.Sql;

namespace Narralytica.Generator.Emitters;

/// <summary>
/// One file per table with its fast paths, written as plain Npgsql: the SQL constants, a typed row
/// reader and COPY writer (<c>SegmentRows</c>), and on the scope (or the database, for global tables)
/// find by key, the named queries, the feeds and <c>BulkInsertAsync</c>. Prepared statements, typed
/// parameters and typed reads, as fast as the same code written by hand.
/// </summary>
internal static class ReadPathEmitter
{
    private const string Token = "global::System.Threading.CancellationToken cancellationToken = default";
    private const string Reader = "global::Npgsql.NpgsqlDataReader";

    public static string Emit(EntitySpec entity)
    {
        var w = new SourceWriter();
        w.Line(SourceWriter.Header);
        w.Open($"namespace {entity.Namespace}");
        WriteRows(w, entity);
        w.Line();
        // Extension members of the runtime's TenantScope (or NarralyticaDb, for global tables), beside TenantScopeTables' own.
        var receiver = entity.IsTenantScoped ? AccessEmitter.Scope : AccessEmitter.Database;
        AccessEmitter.OpenExtension(w, receiver);
        var db = receiver.Db;
        WriteFind(w, entity, db);
        foreach (var query in entity.Queries)
        {
            w.Line();
            WriteQuery(w, entity, query, db);
        }
        foreach (var feed in entity.Feeds)
        {
            w.Line();
            WriteFeed(w, entity, feed, db);
        }
        if (entity.IsTenantScoped)
        {
            w.Line();
            WriteBulkInsert(w, entity, AccessEmitter.Scope);
        }
        w.Close();
        w.Close();
        if (!entity.IsTenantScoped)
        {
            // Writing a global table is the control plane's: its bulk insert lives there, beside Insert/Update/Delete.
            w.Line();
            AccessEmitter.OpenExtension(w, AccessEmitter.Control);
            WriteBulkInsert(w, entity, AccessEmitter.Control);
            w.Close();
            w.Close();
        }
        foreach (var feed in entity.Feeds)
        {
            w.Line();
            WriteFeedItem(w, entity, feed);
        }
        w.Close();
        return w.ToString();
    }

    /// <summary><c>NarralyticaQueries.All</c>: every generated lookup, query and feed page, with its SQL.</summary>
    public static string EmitCatalog(ModelSpec model)
    {
        var w = new SourceWriter();
        w.Line(SourceWriter.Header);
        w.Open($"namespace {model.Namespace}");
        w.Summary("Every statement the generated helpers send (find by key, the queries and feeds of schema.yaml), with the index that answers it.");
        w.Open("public static class NarralyticaQueries");
        w.Summary("In table order; for each table, find by key, then its queries, then its feeds.");
        w.Line("public static global::System.Collections.Generic.IReadOnlyList<global::Narralytica.Runtime.GeneratedQuery> All { get; } = new global::Narralytica.Runtime.GeneratedQuery[]");
        w.Line("{");
        foreach (var entity in model.Entities)
        {
            var host = entity.IsTenantScoped ? "TenantScope" : "NarralyticaDb";
            foreach (var query in new[] { entity.Find }.Concat(entity.Queries))
                w.Line($"    new({SourceWriter.Literal($"{host}.{query.MethodName}Async")}, {SourceWriter.Literal(entity.TableName)}, {RowsClass(entity)}.{query.ConstantName}, {SourceWriter.Literal(query.BackingIndex)}),");
            foreach (var feed in entity.Feeds)
                w.Line($"    new({SourceWriter.Literal($"{host}.{feed.MethodName}Async")}, {SourceWriter.Literal(entity.TableName)}, {RowsClass(entity)}.{feed.ConstantName}, {SourceWriter.Literal(feed.BackingIndex)}),");
        }
        w.Line("};");
        w.Close();
        w.Close();
        return w.ToString();
    }

    public static string RowsClass(EntitySpec entity) => entity.EntityName + "Rows";

    /// <summary>The SQL constants, the reader (columns in declared order from an offset) and the COPY writer.</summary>
    private static void WriteRows(SourceWriter w, EntitySpec entity)
    {
        w.Summary($"The generated SQL of <c>{entity.TableName}</c>, and its rows read and written by column position, without boxing.", escape: false);
        w.Open($"internal static class {RowsClass(entity)}");
        w.Line($"public const string {entity.Find.ConstantName} = {SourceWriter.Literal(entity.Find.Sql)};");
        foreach (var query in entity.Queries)
            w.Line($"public const string {query.ConstantName} = {SourceWriter.Literal(query.Sql)};");
        foreach (var feed in entity.Feeds)
        {
            w.Line($"public const string {feed.ConstantName} = {SourceWriter.Literal(feed.Sql)};");
            if (feed.CitusLatest is { } citus)
                w.Line($"public const string {citus.ConstantName} = {SourceWriter.Literal(citus.Sql)};");
        }
        if (entity.CitusBulkInsert is { } citusBulk)
        {
            BulkInsertEmitter.WriteCitusStatement(w, citusBulk);
        }
        else if (entity.BulkInsertSql is { } bulk)
        {
            w.Line("// BulkInsertAsync: one statement per chunk of rows, each column one typed array; tenant_id is not sent, the statement takes the verified proof's.");
            w.Line($"public const string BulkInsert = {SourceWriter.Literal(bulk)};");
        }
        else
        {
            w.Line($"public const string Copy = {SourceWriter.Literal(entity.CopySql)};");
        }
        w.Line();
        w.Line($"/// <summary>The row whose columns start at <paramref name=\"first\"/>, in declared order.</summary>");
        w.Open($"public static {CSharpNames.Entity(entity)} Read({Reader} reader, int first) => new {CSharpNames.Entity(entity)}");
        for (var i = 0; i < entity.Properties.Count; i++)
        {
            var property = entity.Properties[i];
            var read = $"reader.GetFieldValue<{CSharpNames.Type(property.Type, entity.Namespace)}>(first + {i})";
            w.Line($"{property.Name} = {(property.CanBeNull ? $"reader.IsDBNull(first + {i}) ? null : {read}" : read)},");
        }
        w.Close(";");
        if (entity.CitusBulkInsert is { } citusParameters)
            BulkInsertEmitter.WriteCitusParameters(w, entity, citusParameters);
        else if (entity.IsTenantScoped)
            BulkInsertEmitter.WriteParameters(w, entity);
        else
            WriteCopyRow(w, entity);
        w.Close();
    }

    private static string Local(PropertySpec property) => "value" + property.Name;

    private static void WriteFind(SourceWriter w, EntitySpec entity, string db)
    {
        var find = entity.Find;
        var arguments = Arguments(entity, find);
        w.Line($"// ── {entity.TableName}: generated SQL ──");
        WriteDocs(w, entity, find, withToken: false);
        w.Open($"public {CSharpNames.Entity(entity)}? {find.MethodName}({arguments})");
        if (entity.OwnTransaction)
        {
            w.Line($"using var ownTransaction = {db}.Transaction is null ? {db}.BeginTransaction() : null;");
            w.Line($"{CSharpNames.Entity(entity)}? row;");
            w.Open("// Read, and the reader closed, before the transaction ends:");
        }
        WriteStatement(w, entity, find.ConstantName, find.Parameters, db, async: false);
        WriteParameterValues(w, entity, find.Parameters);
        w.Line("using var reader = statement.ExecuteReader();");
        if (entity.OwnTransaction)
        {
            w.Line($"row = reader.Read() ? {RowsClass(entity)}.Read(reader, 0) : null;");
            w.Close();
            w.Line("ownTransaction?.Commit();");
            w.Line("return row;");
        }
        else
            w.Line($"return reader.Read() ? {RowsClass(entity)}.Read(reader, 0) : null;");
        w.Close();
        w.Line();
        WriteDocs(w, entity, find, withToken: true);
        w.Open($"public async global::System.Threading.Tasks.Task<{CSharpNames.Entity(entity)}?> {find.MethodName}Async({arguments}, {Token})");
        WriteSingleRowBody(w, entity, find, db);
        w.Close();
    }

    private static void WriteQuery(SourceWriter w, EntitySpec entity, QuerySpec query, string db)
    {
        WriteDocs(w, entity, query, withToken: true);
        var result = query.SingleRow ? $"{CSharpNames.Entity(entity)}?" : $"global::System.Collections.Generic.List<{CSharpNames.Entity(entity)}>";
        w.Open($"public async global::System.Threading.Tasks.Task<{result}> {query.MethodName}Async({Arguments(entity, query)}, {Token})");
        if (query.SingleRow)
        {
            WriteSingleRowBody(w, entity, query, db);
        }
        else
        {
            if (entity.OwnTransaction)
            {
                OpenOwnTransaction(w, db);
                w.Line($"var rows = new global::System.Collections.Generic.List<{CSharpNames.Entity(entity)}>();");
                w.Open("// Read, and the reader closed, before the transaction ends:");
                WriteOpenReader(w, entity, query.ConstantName, query, db);
            }
            else
            {
                WriteOpenReader(w, entity, query.ConstantName, query, db);
                w.Line($"var rows = new global::System.Collections.Generic.List<{CSharpNames.Entity(entity)}>();");
            }
            w.Line("while (await reader.ReadAsync(cancellationToken))");
            w.Line($"    rows.Add({RowsClass(entity)}.Read(reader, 0));");
            if (entity.OwnTransaction)
                CloseOwnTransaction(w);
            w.Line("return rows;");
        }
        w.Close();
    }

    private static void WriteSingleRowBody(SourceWriter w, EntitySpec entity, QuerySpec query, string db)
    {
        if (!entity.OwnTransaction)
        {
            WriteOpenReader(w, entity, query.ConstantName, query, db);
            w.Line($"return await reader.ReadAsync(cancellationToken) ? {RowsClass(entity)}.Read(reader, 0) : null;");
            return;
        }
        OpenOwnTransaction(w, db);
        w.Line($"{CSharpNames.Entity(entity)}? row;");
        w.Open("// Read, and the reader closed, before the transaction ends:");
        WriteOpenReader(w, entity, query.ConstantName, query, db);
        w.Line($"row = await reader.ReadAsync(cancellationToken) ? {RowsClass(entity)}.Read(reader, 0) : null;");
        CloseOwnTransaction(w);
        w.Line("return row;");
    }

    /// <summary>
    /// On the Citus target, a transaction of the read's own when the caller has none: Citus sends the tenant's SET LOCAL to
    /// the worker with the remote BEGIN, and opens none for a single-shard statement outside a transaction block (the worker
    /// would see no tenant). Npgsql sends the BEGIN with the statement; the COMMIT is one more round trip.
    /// </summary>
    private static void OpenOwnTransaction(SourceWriter w, string db)
        => w.Line($"await using var ownTransaction = {db}.Transaction is null ? await {db}.BeginTransactionAsync(cancellationToken) : null;");

    /// <summary>Closes the block that read the rows (its reader with it), then commits the read's own transaction.</summary>
    private static void CloseOwnTransaction(SourceWriter w)
    {
        w.Close();
        w.Line("if (ownTransaction is not null)");
        w.Line("    await ownTransaction.CommitAsync(cancellationToken);");
    }

    private static void WriteOpenReader(SourceWriter w, EntitySpec entity, string constant, QuerySpec query, string db)
    {
        WriteStatement(w, entity, constant, query.Parameters, db, async: true);
        WriteParameterValues(w, entity, query.Parameters);
        w.Line("await using var reader = await statement.ExecuteReaderAsync(cancellationToken);");
    }

    /// <summary>
    /// The prepared statement (kept by the connection), its typed parameters declared once. On a tenant table it is
    /// bound to the scope's tenant, which it sets for its own transaction only (in the same round trip).
    /// </summary>
    private static void WriteStatement(SourceWriter w, EntitySpec entity, string constant, EquatableArray<ParameterSpec> parameters, string db, bool async)
    {
        w.Line(async
            ? $"var statement = await {db}.PreparedAsync({RowsClass(entity)}.{constant}, {Tenant(entity)}, static parameters =>"
            : $"var statement = {db}.Prepared({RowsClass(entity)}.{constant}, {Tenant(entity)}, static parameters =>");
        w.Line("{");
        foreach (var parameter in parameters)
            w.Line($"    parameters.Add(new global::Npgsql.NpgsqlParameter<{CSharpNames.Type(parameter, entity.Namespace)}>());");
        w.Line(async ? "}, cancellationToken);" : "});");
    }

    /// <summary>The tenant a statement is bound to: the scope's, or none for a global table.</summary>
    private static string Tenant(EntitySpec entity) => entity.IsTenantScoped ? "scope.TenantId" : "null";

    private static void WriteParameterValues(SourceWriter w, EntitySpec entity, EquatableArray<ParameterSpec> parameters)
    {
        for (var i = 0; i < parameters.Count; i++)
            w.Line($"((global::Npgsql.NpgsqlParameter<{CSharpNames.Type(parameters[i], entity.Namespace)}>)statement.Parameters[{i}]).TypedValue = {Argument(parameters[i])};");
    }

    /// <summary>
    /// The C# expression bound to a parameter: the scope's tenant, a feed's cursor (the local that walks the pages),
    /// or the method's parameter of that name.
    /// </summary>
    private static string Argument(ParameterSpec parameter) => parameter.Role switch
    {
        ParameterRole.Tenant => "scope.TenantId",
        ParameterRole.After => "cursor",
        _ => CSharpNames.Identifier(parameter.Name),
    };

    /// <summary>The method's parameters: every statement parameter but the tenant, which the scope supplies.</summary>
    private static string Arguments(EntitySpec entity, QuerySpec query)
        => string.Join(", ", query.Parameters.Where(p => p.Role != ParameterRole.Tenant)
            .Select(p => $"{CSharpNames.Type(p, entity.Namespace)} {CSharpNames.Identifier(p.Name)}"));

    private static void WriteDocs(SourceWriter w, EntitySpec entity, QuerySpec query, bool withToken)
    {
        var table = SourceWriter.Escape(entity.TableName);
        w.Summary(query.QueryName is null ? $"The <c>{table}</c> row with this key{(entity.IsTenantScoped ? " in this tenant" : "")}, or null."
            : query.Doc is { } doc ? SourceWriter.Escape(doc)
            : $"Query <c>{SourceWriter.Escape(query.QueryName)}</c> of <c>{table}</c>.", escape: false);
        foreach (var parameter in query.Parameters.Where(p => p.Role != ParameterRole.Tenant))
            w.Line($"/// <param name=\"{parameter.Name}\">{ParameterDoc(parameter)}</param>");
        if (withToken)
            w.Line("/// <param name=\"cancellationToken\">Cancels the query.</param>");
        w.Line($"/// <remarks>Answered by index <c>{query.BackingIndex}</c>. SQL: <c>{SourceWriter.Escape(query.Sql)}</c></remarks>");
    }

    private static string ParameterDoc(ParameterSpec parameter)
    {
        var column = SourceWriter.Escape(parameter.Column ?? "");
        return parameter.Role switch
        {
            ParameterRole.Equal => $"The <c>{column}</c> to match.",
            ParameterRole.Many => $"The <c>{column}</c> values to look up; one array parameter, so the SQL text never changes.",
            ParameterRole.From => $"The window's start: rows whose [{column}, end) overlaps [from, to).",
            ParameterRole.To => "The window's end, exclusive.",
            ParameterRole.After => "The cursor.",
            _ => "Rows per page.",
        };
    }

    private static void WriteFeed(SourceWriter w, EntitySpec entity, FeedSpec feed, string db)
    {
        var item = CSharpNames.Generated(entity.Namespace, feed.ItemName);
        var latest = CSharpNames.Generated(entity.Namespace, feed.LatestEntity);
        w.Summary((feed.Doc is { } doc ? SourceWriter.Escape(doc) : $"Every <c>{entity.TableName}</c> row of the tenant in key order, each with the latest versions of its <c>{feed.LatestTable}</c>.") +
            "\nStreamed page by page (one query per page, constant memory); between pages the connection is free, so a consumer may record its progress on it." +
            "\nResumable: pass the id of the last row handled as <paramref name=\"after\"/>. Rows added later with higher ids (UUIDv7) are read too.", escape: false);
        w.Line("/// <param name=\"after\">Start after this row id; null starts at the beginning.</param>");
        w.Line("/// <param name=\"pageSize\">Rows per query.</param>");
        w.Line("/// <param name=\"cancellationToken\">Stops the feed.</param>");
        w.Line(feed.CitusLatest is { } latestOfPage
            ? $"/// <remarks>SQL of a page (the Citus target's two statements): <c>{SourceWriter.Escape(feed.Sql)}</c>, then <c>{SourceWriter.Escape(latestOfPage.Sql)}</c></remarks>"
            : $"/// <remarks>SQL of a page: <c>{SourceWriter.Escape(feed.Sql)}</c></remarks>");
        var idType = CSharpNames.Type(feed.RowIdType, entity.Namespace);
        w.Open($"public async global::System.Collections.Generic.IAsyncEnumerable<{item}> {feed.MethodName}Async({idType}? after = null, int pageSize = 1000, " +
               $"[global::System.Runtime.CompilerServices.EnumeratorCancellation] {Token})");
        w.Line("if (pageSize < 1)");
        w.Line("    throw new global::System.ArgumentOutOfRangeException(nameof(pageSize), pageSize, \"A feed page holds at least one row.\");");
        w.Line($"var cursor = after ?? {(feed.RowIdType.Kind == PgTypeKind.Uuid ? idType + ".Empty" : $"default({idType})")};");
        w.Line($"var page = new global::System.Collections.Generic.List<{item}>(pageSize);");
        w.Open("while (true)");
        w.Line("page.Clear();");
        if (entity.OwnTransaction)
        {
            w.Open("// The page read in a transaction of its own when the caller has none; the items handed out after it ends:");
            OpenOwnTransaction(w, db);
        }
        if (feed.CitusLatest is { } citus)
            WriteCitusFeedPage(w, entity, feed, citus, db);
        else
        {
            w.Open("// One page, read to its end and its reader closed before any item is handed out:");
            WriteStatement(w, entity, feed.ConstantName, feed.Parameters, db, async: true);
            WriteParameterValues(w, entity, feed.Parameters);
            w.Line("await using var reader = await statement.ExecuteReaderAsync(cancellationToken);");
            w.Line($"global::System.Collections.Generic.List<{latest}>? versions = null;");
            w.Open("while (await reader.ReadAsync(cancellationToken))");
            w.Line("// Rows come ordered by the row's id: a new id starts the next item.");
            w.Open($"if (versions is null || page[page.Count - 1].{entity.EntityName}.{feed.RowIdProperty} != reader.GetFieldValue<{idType}>({feed.RowIdOrdinal}))");
            w.Line($"versions = new global::System.Collections.Generic.List<{latest}>();");
            w.Line($"page.Add(new {item}({RowsClass(entity)}.Read(reader, 0), versions));");
            w.Close();
            w.Line($"if (!reader.IsDBNull({feed.LatestIdOrdinal}))");
            w.Line($"    versions.Add({feed.LatestEntity}Rows.Read(reader, {feed.LatestOffset}));");
            w.Close();
            w.Close();
        }
        if (entity.OwnTransaction)
        {
            w.Line("if (ownTransaction is not null)");
            w.Line("    await ownTransaction.CommitAsync(cancellationToken);");
            w.Close();
        }
        w.Line("foreach (var entry in page)");
        w.Line("    yield return entry;");
        w.Line("if (page.Count < pageSize)");
        w.Line("    yield break;");
        w.Line($"cursor = page[page.Count - 1].{entity.EntityName}.{feed.RowIdProperty};");
        w.Close();
        w.Close();
    }

    /// <summary>
    /// A feed page on the Citus target: the rows alone, then the latest versions of their ids, each matched with its row
    /// (both come in id order, so one pass).
    /// </summary>
    private static void WriteCitusFeedPage(SourceWriter w, EntitySpec entity, FeedSpec feed, CitusFeedLatestSpec citus, string db)
    {
        var item = CSharpNames.Generated(entity.Namespace, feed.ItemName);
        var latest = CSharpNames.Generated(entity.Namespace, feed.LatestEntity);
        var idType = CSharpNames.Type(feed.RowIdType, entity.Namespace);
        w.Line($"var versionsOfPage = new global::System.Collections.Generic.List<global::System.Collections.Generic.List<{latest}>>(pageSize);");
        w.Open("// The page's rows, in id order:");
        WriteStatement(w, entity, feed.ConstantName, feed.Parameters, db, async: true);
        WriteParameterValues(w, entity, feed.Parameters);
        w.Line("await using var reader = await statement.ExecuteReaderAsync(cancellationToken);");
        w.Open("while (await reader.ReadAsync(cancellationToken))");
        w.Line($"var versions = new global::System.Collections.Generic.List<{latest}>();");
        w.Line("versionsOfPage.Add(versions);");
        w.Line($"page.Add(new {item}({RowsClass(entity)}.Read(reader, 0), versions));");
        w.Close();
        w.Close();
        w.Open("if (page.Count > 0)");
        w.Line($"var ids = new {idType}[page.Count];");
        w.Line("for (var i = 0; i < page.Count; i++)");
        w.Line($"    ids[i] = page[i].{entity.EntityName}.{feed.RowIdProperty};");
        w.Line("// Their latest versions, ordered by the row they reference, as the rows are:");
        WriteStatement(w, entity, citus.ConstantName, citus.Parameters, db, async: true);
        WriteParameterValues(w, entity, citus.Parameters);
        w.Line("await using var reader = await statement.ExecuteReaderAsync(cancellationToken);");
        w.Line("var owner = 0;");
        w.Open("while (await reader.ReadAsync(cancellationToken))");
        w.Line($"var referenced = reader.GetFieldValue<{idType}>({citus.ReferencingOrdinal});");
        w.Line("while (ids[owner] != referenced)");
        w.Line("    owner++;");
        w.Line($"versionsOfPage[owner].Add({feed.LatestEntity}Rows.Read(reader, 0));");
        w.Close();
        w.Close();
    }

    private static void WriteFeedItem(SourceWriter w, EntitySpec entity, FeedSpec feed)
    {
        w.Summary($"An item of <c>TenantScope.{feed.MethodName}Async</c>: a <c>{entity.TableName}</c> row and the latest version of each of its <c>{feed.LatestTable}</c> groups.", escape: false);
        w.Line($"/// <param name=\"{entity.EntityName}\">The row; its <c>Id</c> is the cursor to resume after.</param>");
        w.Line($"/// <param name=\"{feed.LatestProperty}\">The latest versions, ordered by their group.</param>");
        w.Line($"public sealed record {feed.ItemName}({CSharpNames.Entity(entity)} {entity.EntityName}, global::System.Collections.Generic.IReadOnlyList<{CSharpNames.Generated(entity.Namespace, feed.LatestEntity)}> {feed.LatestProperty});");
    }

    /// <summary>The COPY writer of a global table's rows (the control plane's bulk insert).</summary>
    private static void WriteCopyRow(SourceWriter w, EntitySpec entity)
    {
        w.Line();
        w.Line("/// <summary>One row of a binary COPY, every column in declared order.</summary>");
        w.Open($"public static async global::System.Threading.Tasks.Task WriteAsync(global::Npgsql.NpgsqlBinaryImporter importer, {CSharpNames.Entity(entity)} row, global::System.Threading.CancellationToken cancellationToken)");
        w.Line("await importer.StartRowAsync(cancellationToken);");
        foreach (var property in entity.Properties)
        {
            // PostgreSQL stores timestamptz in UTC, and Npgsql writes only offset-0 values.
            var valueType = CSharpNames.Type(property.Type, entity.Namespace);
            var copyType = CSharpNames.CopyType(property.Type) is { Length: > 0 } named ? named + ", " : "";
            var utc = valueType == "global::System.DateTimeOffset" ? ".ToUniversalTime()" : "";
            if (!property.CanBeNull)
                w.Line($"await importer.WriteAsync(row.{property.Name}{utc}, {copyType}cancellationToken);");
            else if (property.Type.IsArray || valueType is "string" or "byte[]")
                w.Line($"if (row.{property.Name} is null) await importer.WriteNullAsync(cancellationToken); else await importer.WriteAsync(row.{property.Name}{utc}, {copyType}cancellationToken);");
            else
                w.Line($"if (row.{property.Name} is {{ }} {Local(property)}) await importer.WriteAsync({Local(property)}{utc}, {copyType}cancellationToken); else await importer.WriteNullAsync(cancellationToken);");
        }
        w.Close();
    }

    private static void WriteBulkInsert(SourceWriter w, EntitySpec entity, AccessEmitter.Receiver receiver)
    {
        var db = receiver.Db;
        if (entity.CitusBulkInsert is not null)
        {
            w.Summary($"Inserts <c>{entity.TableName}</c> rows, filling in what the conventions own (id, timestamps): one multi-row INSERT per {entity.CitusBulkInsert.RowsPerStatement} rows, which Citus routes to the tenant's shard." +
                      "\nEvery row is stamped with this scope's tenant, and a row naming another tenant is refused before anything is sent; the statement takes tenant_id from the transaction's verified proof, never from the rows." +
                      "\nEvery constraint is checked; on any error nothing of the insert remains. It runs in the caller's transaction, or in one begun here (Citus sends the tenant to the worker only inside a transaction).", escape: false);
            w.Line("/// <returns>The number of rows inserted.</returns>");
            w.Open($"public async global::System.Threading.Tasks.Task<ulong> BulkInsertAsync(global::System.Collections.Generic.IEnumerable<{CSharpNames.Entity(entity)}> rows, {Token})");
            w.Line("global::System.ArgumentNullException.ThrowIfNull(rows);");
            w.Line($"return await {db}.CitusBulkInsertAsync(scope.TenantId, {RowsClass(entity)}.CitusBulkInsert, {RowsClass(entity)}.CitusBulkInsertRows, rows, row => PrepareInsert(scope, row), {RowsClass(entity)}.DeclareCitusBulkInsert, {RowsClass(entity)}.BindCitusBulkInsert, cancellationToken);");
            w.Close();
            return;
        }
        if (entity.IsTenantScoped)
        {
            w.Summary($"Inserts <c>{entity.TableName}</c> rows, filling in what the conventions own (id, timestamps): one statement per chunk of rows, each column sent as one typed array." +
                      "\nEvery row is stamped with this scope's tenant, and a row naming another tenant is refused before anything is sent; the statement takes tenant_id from the transaction's verified proof, never from the rows." +
                      "\nEvery constraint is checked; on any error nothing of the insert remains. Inside a transaction (<see cref=\"global::Narralytica.Runtime.TenantScope.InTransactionAsync\"/>) it commits or rolls back with it; outside one, a single statement is its own transaction, and several share one begun here.", escape: false);
            w.Line("/// <returns>The number of rows inserted.</returns>");
            w.Open($"public async global::System.Threading.Tasks.Task<ulong> BulkInsertAsync(global::System.Collections.Generic.IEnumerable<{CSharpNames.Entity(entity)}> rows, {Token})");
            w.Line("global::System.ArgumentNullException.ThrowIfNull(rows);");
            w.Line($"return await {db}.BulkInsertAsync(scope.TenantId, {RowsClass(entity)}.BulkInsert, rows, row => PrepareInsert(scope, row), {RowsClass(entity)}.DeclareBulkInsert, {RowsClass(entity)}.BindBulkInsert, cancellationToken);");
            w.Close();
            return;
        }
        w.Summary($"Inserts <c>{entity.TableName}</c> rows with one binary COPY, filling in what the conventions own (id, timestamps)." +
                  "\nEvery constraint is checked; on any error nothing of the copy remains. Inside a transaction it commits or rolls back with it.", escape: false);
        w.Line("/// <returns>The number of rows inserted.</returns>");
        w.Open($"public async global::System.Threading.Tasks.Task<ulong> BulkInsertAsync(global::System.Collections.Generic.IEnumerable<{CSharpNames.Entity(entity)}> rows, {Token})");
        w.Line("global::System.ArgumentNullException.ThrowIfNull(rows);");
        w.Line($"return await {db}.CopyAsync({RowsClass(entity)}.Copy, rows, (importer, row, token) =>");
        w.Line("{");
        w.Line("    " + AccessEmitter.PrepareInsertCall(receiver));
        w.Line($"    return {RowsClass(entity)}.WriteAsync(importer, row, token);");
        w.Line("}, cancellationToken);");
        w.Close();
    }
}
