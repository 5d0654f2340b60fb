using System;

namespace Narralytica.Database;

/// <summary>A live database that cannot be read or compared as asked (no current schema, a missing privilege): the message says what to do.</summary>
public sealed class LiveSchemaException : Exception
{
    public LiveSchemaException(string message) : base(message) { }
}
