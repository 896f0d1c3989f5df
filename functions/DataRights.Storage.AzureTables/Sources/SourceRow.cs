using System.Globalization;
using DataRights.Storage.AzureTables.Entities;

namespace DataRights.Storage.AzureTables.Sources;

/// <summary>
/// One row of a firm's own table, as <see cref="AzureTableSourceClient"/> reads or writes it: its keys and its
/// properties as .NET values (string, int, long, bool, double, <see cref="DateTimeOffset"/> for <c>Edm.DateTime</c>,
/// <see cref="Guid"/>, byte[]). A row that was read remembers its ETag and the exact types it was stored with.
/// </summary>
public sealed class SourceRow
{
    /// <summary>A row to write (seeding a table in tests and benchmarks).</summary>
    public SourceRow(string partitionKey, string rowKey, IReadOnlyDictionary<string, object> properties)
    {
        ArgumentNullException.ThrowIfNull(properties);
        Entity = new TableEntity(partitionKey, rowKey);
        foreach (var (name, value) in properties)
        {
            AzureTableSourceClient.EnsurePropertyName(name);
            Entity.Properties[name] = ToStored(value);
        }
    }

    internal SourceRow(TableEntity entity) => Entity = entity;

    public string PartitionKey => Entity.PartitionKey;

    public string RowKey => Entity.RowKey;

    /// <summary>The names of the row's properties (keys and Timestamp not included).</summary>
    public IReadOnlyCollection<string> PropertyNames => Entity.Properties.Keys;

    internal TableEntity Entity { get; }

    /// <summary>The value of <paramref name="name"/> (<c>PartitionKey</c> and <c>RowKey</c> included), or null when the row has none.</summary>
    public object? Get(string name) => name switch
    {
        "PartitionKey" => PartitionKey,
        "RowKey" => RowKey,
        _ => Entity.Properties.GetValueOrDefault(name),
    };

    /// <summary>The value as text: what the row would show a person (ISO 8601 for dates, Base64 for binary).</summary>
    public string? GetText(string name) => Get(name) switch
    {
        null => null,
        string s => s,
        DateTimeOffset date => date.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture),
        byte[] bytes => Convert.ToBase64String(bytes),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        var other => other.ToString(),
    };

    // The SDK reads Edm.DateTime back as DateTimeOffset; a DateTime is written as the same instant in UTC.
    internal static object ToStored(object value) => value switch
    {
        string or int or long or bool or double or DateTimeOffset or Guid or byte[] => value,
        DateTime at => new DateTimeOffset(at.ToUniversalTime()),
        _ => throw new ArgumentException($"Table storage cannot hold a {value.GetType().Name}.", nameof(value)),
    };
}
