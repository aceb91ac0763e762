using System.Text.Json;
using Azure.Data.Tables;
using Yardstick.Core;

namespace Yardstick.Storage.Tables;

/// <summary>Reads and writes typed columns of <see cref="TableEntity"/> rows, tolerating missing columns of older rows.</summary>
internal static class EntityValues
{
    /// <summary>Azure Tables cannot store dates before 1601-01-01; such values (in practice only <c>default</c>) are left out and read back as <c>default</c>.</summary>
    private static readonly DateTimeOffset MinStorableTime = new(1601, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static void SetTime(TableEntity entity, string column, DateTimeOffset? value)
    {
        if (value is { } time && time >= MinStorableTime)
        {
            entity[column] = time.ToUniversalTime();
        }
    }

    public static DateTimeOffset? GetTime(TableEntity entity, string column) => entity.GetDateTimeOffset(column);

    /// <summary>
    /// Writes a double column; NaN and ±infinity (for example the error rate of a run without responses) are written
    /// as the strings <c>NaN</c>, <c>Infinity</c>, <c>-Infinity</c>, because the table SDK's JSON writer rejects them.
    /// </summary>
    public static void SetDouble(TableEntity entity, string column, double? value)
    {
        if (value is { } number)
        {
            entity[column] = double.IsFinite(number) ? number : number.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
    }

    /// <summary>Doubles may come back as Int32/Int64 when a whole number was stored by another writer.</summary>
    public static double? GetDouble(TableEntity entity, string column) => entity.TryGetValue(column, out var value)
        ? value switch
        {
            null => null,
            double d => d,
            int i => i,
            long l => l,
            string s when double.TryParse(s, System.Globalization.CultureInfo.InvariantCulture, out var parsed) => parsed,
            _ => null,
        }
        : null;

    public static long GetLong(TableEntity entity, string column) => entity.TryGetValue(column, out var value)
        ? value switch
        {
            long l => l,
            int i => i,
            double d => (long)d,
            _ => 0,
        }
        : 0;

    public static int GetInt(TableEntity entity, string column) => (int)GetLong(entity, column);

    public static string? GetString(TableEntity entity, string column) =>
        entity.TryGetValue(column, out var value) ? value as string : null;

    public static void SetJson<T>(TableEntity entity, string column, T value) =>
        entity[column] = JsonSerializer.Serialize(value, YardstickJson.Options);

    public static T? GetJson<T>(TableEntity entity, string column)
        where T : class =>
        GetString(entity, column) is { Length: > 0 } json ? JsonSerializer.Deserialize<T>(json, YardstickJson.Options) : null;
}
