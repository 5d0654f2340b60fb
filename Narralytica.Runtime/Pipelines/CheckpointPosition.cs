using System;
using System.Globalization;
using System.Text.Json;

namespace Narralytica.Runtime;

/// <summary>
/// A position as the checkpoints table keeps it, as text: a string as it is, a long or an int in invariant digits, a Guid
/// in its 36-character form, a DateTimeOffset in the round-trip form ("O", its offset kept), anything else (a record of
/// several cursors) as JSON. A position written so reads back equal, and its text is what an advance compares.
/// </summary>
internal static class CheckpointPosition<T>
{
    public static string Format(T position, JsonSerializerOptions json)
    {
        if (position is null)
            throw new ArgumentNullException(nameof(position), "A stage's position is required: return null from the step instead when it had nothing to do.");
        return position switch
        {
            string text => text,
            long number => number.ToString(CultureInfo.InvariantCulture),
            int number => number.ToString(CultureInfo.InvariantCulture),
            Guid id => id.ToString("D"),
            DateTimeOffset time => time.ToString("O", CultureInfo.InvariantCulture),
            _ => JsonSerializer.Serialize(position, json),
        };
    }

    public static T Parse(string text, JsonSerializerOptions json)
    {
        if (typeof(T) == typeof(string)) return (T)(object)text;
        if (typeof(T) == typeof(long)) return (T)(object)long.Parse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        if (typeof(T) == typeof(int)) return (T)(object)int.Parse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        if (typeof(T) == typeof(Guid)) return (T)(object)Guid.ParseExact(text, "D");
        if (typeof(T) == typeof(DateTimeOffset)) return (T)(object)DateTimeOffset.ParseExact(text, "O", CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
        return JsonSerializer.Deserialize<T>(text, json)!;
    }
}
