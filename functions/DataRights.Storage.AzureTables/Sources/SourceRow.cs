using System.Globalization;
using DataRights.Storage.AzureTables.Rest;

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
        _ => Entity.Properties.TryGetValue(name, out var value) ? FromStored(value) : null,
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

    private static object FromStored(object value) => value switch
    {
        EdmValue { Type: "Edm.DateTime" } date when DateTimeOffset.TryParse(date.Text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at) => at,
        EdmValue { Type: "Edm.Guid" } guid when Guid.TryParse(guid.Text, out var id) => id,
        EdmValue { Type: "Edm.Binary" } binary => Convert.FromBase64String(binary.Text),
        EdmValue typed => typed.Portable,
        _ => value,
    };

    internal static object ToStored(object value) => value switch
    {
        string or int or long or bool => value,
        double d => new EdmValue("Edm.Double", d.ToString("R", CultureInfo.InvariantCulture)),
        DateTimeOffset at => new EdmValue("Edm.DateTime", at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture)),
        DateTime at => new EdmValue("Edm.DateTime", at.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture)),
        Guid id => new EdmValue("Edm.Guid", id.ToString()),
        byte[] bytes => new EdmValue("Edm.Binary", Convert.ToBase64String(bytes)),
        _ => throw new ArgumentException($"Table storage cannot hold a {value.GetType().Name}.", nameof(value)),
    };
}
