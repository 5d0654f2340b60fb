using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.Reflection;
using NpgsqlTypes;

namespace Narralytica.Runtime.Streams;

/// <summary>
/// PostgreSQL's text output of a value → the C# type the entities use. The stream's connection asks for
/// <c>DateStyle=ISO</c> and <c>TimeZone=UTC</c>, so timestamps come in one shape. Enums map by their
/// <see cref="PgNameAttribute"/> labels, as the data layer maps them.
/// </summary>
internal static class PgText
{
    private static readonly string[] TimestampTzFormats = { "yyyy-MM-dd HH:mm:ss.FFFFFFzz", "yyyy-MM-dd HH:mm:sszz", "yyyy-MM-dd HH:mm:ss.FFFFFFzzz", "yyyy-MM-dd HH:mm:sszzz" };
    private static readonly string[] TimestampFormats = { "yyyy-MM-dd HH:mm:ss.FFFFFF", "yyyy-MM-dd HH:mm:ss" };
    private static readonly ConcurrentDictionary<Type, Dictionary<string, object>> EnumLabels = new();

    public static T Parse<T>(string text, string column)
    {
        var type = Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T);
        try
        {
            return (T)ParseAs(type, text);
        }
        catch (Exception e) when (e is FormatException or OverflowException or KeyNotFoundException)
        {
            throw new FormatException($"Column '{column}' holds '{text}', which is not a {type.Name} as the change decoder reads it: {e.Message}", e);
        }
    }

    private static object ParseAs(Type type, string text)
    {
        var invariant = CultureInfo.InvariantCulture;
        if (type == typeof(string)) return text;
        if (type == typeof(Guid)) return Guid.Parse(text);
        if (type == typeof(int)) return int.Parse(text, invariant);
        if (type == typeof(long)) return long.Parse(text, invariant);
        if (type == typeof(short)) return short.Parse(text, invariant);
        if (type == typeof(bool)) return text == "t";
        if (type == typeof(decimal)) return decimal.Parse(text, NumberStyles.Float, invariant);
        if (type == typeof(float)) return float.Parse(text, NumberStyles.Float, invariant);
        if (type == typeof(double)) return double.Parse(text, NumberStyles.Float, invariant);
        if (type == typeof(DateTimeOffset))
            return text switch
            {
                "infinity" => DateTimeOffset.MaxValue,
                "-infinity" => DateTimeOffset.MinValue,
                _ => DateTimeOffset.ParseExact(text, TimestampTzFormats, invariant, DateTimeStyles.None),
            };
        if (type == typeof(DateTime)) return DateTime.ParseExact(text, TimestampFormats, invariant, DateTimeStyles.None);
        if (type == typeof(DateOnly)) return DateOnly.ParseExact(text, "yyyy-MM-dd", invariant);
        if (type == typeof(byte[])) return Convert.FromHexString(text.AsSpan(2)); // bytea's hex output: \x0a1b…
        if (type.IsEnum) return EnumLabels.GetOrAdd(type, Labels)[text];
        throw new FormatException($"the change decoder has no reader for {type.Name}");
    }

    private static Dictionary<string, object> Labels(Type enumType)
    {
        var labels = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var field in enumType.GetFields(BindingFlags.Public | BindingFlags.Static))
            labels[field.GetCustomAttribute<PgNameAttribute>()?.PgName ?? field.Name] = field.GetValue(null)!;
        return labels;
    }
}
