using System.Globalization;

namespace DataRights.Storage.AzureTables.Entities;

/// <summary>
/// One row as the stores build and read it: keys, ETag and typed properties (string, Int32, Int64, Boolean;
/// a firm's own tables also hold Double, DateTime, Guid and Binary). Long strings are split over several
/// properties (<see cref="SetText"/>), because one string property holds at most 64 KiB. <see cref="TableGateway"/>
/// hands it to Azure.Data.Tables as the SDK's own entity.
/// </summary>
internal sealed class TableEntity(string partitionKey, string rowKey)
{
    /// <summary>Characters per string property: 64 KiB of UTF-16 is 32,768; a margin for the service's own accounting.</summary>
    public const int MaxCharsPerProperty = 32_000;

    private const string PartsSuffix = "_Parts";

    public string PartitionKey { get; } = partitionKey;

    public string RowKey { get; } = rowKey;

    public string? ETag { get; set; }

    /// <summary>What this entity is, in words, for limit errors ("request dr_…", "audit entry 3 of …"); no personal data.</summary>
    public string? Description { get; set; }

    public Dictionary<string, object> Properties { get; } = new(StringComparer.Ordinal);

    public TableEntity Set(string name, string? value)
    {
        if (value is null)
        {
            Properties.Remove(name);
        }
        else
        {
            Properties[name] = value;
        }

        return this;
    }

    public TableEntity Set(string name, long value)
    {
        Properties[name] = value;
        return this;
    }

    public TableEntity Set(string name, int value)
    {
        Properties[name] = value;
        return this;
    }

    public TableEntity Set(string name, bool value)
    {
        Properties[name] = value;
        return this;
    }

    /// <summary>
    /// A string of any length: one property when it fits, otherwise <c>Name</c>, <c>Name_2</c>, … and
    /// <c>Name_Parts</c>. Never cuts a surrogate pair in two. Null removes it.
    /// </summary>
    public TableEntity SetText(string name, string? value)
    {
        foreach (var key in Properties.Keys.Where(k => k == name + PartsSuffix || IsPart(k, name)).ToList())
        {
            Properties.Remove(key);
        }

        if (value is null)
        {
            Properties.Remove(name);
            return this;
        }

        if (value.Length <= MaxCharsPerProperty)
        {
            Properties[name] = value;
            return this;
        }

        var part = 1;
        for (var start = 0; start < value.Length; part++)
        {
            var length = Math.Min(MaxCharsPerProperty, value.Length - start);
            if (start + length < value.Length && char.IsHighSurrogate(value[start + length - 1]))
            {
                length--;
            }

            Properties[part == 1 ? name : PartName(name, part)] = value.Substring(start, length);
            start += length;
        }

        Properties[name + PartsSuffix] = part - 1;
        return this;
    }

    public string? GetText(string name)
    {
        if (!Properties.TryGetValue(name + PartsSuffix, out var parts))
        {
            return GetStringOrNull(name);
        }

        var count = Convert.ToInt32(parts, CultureInfo.InvariantCulture);
        var text = new System.Text.StringBuilder();
        for (var part = 1; part <= count; part++)
        {
            text.Append(GetString(part == 1 ? name : PartName(name, part)));
        }

        return text.ToString();
    }

    public string GetString(string name) =>
        GetStringOrNull(name) ?? throw new InvalidDataException($"Entity {PartitionKey}/{RowKey} has no {name}.");

    public string? GetStringOrNull(string name) => Properties.TryGetValue(name, out var value) ? value as string ?? Convert.ToString(value, CultureInfo.InvariantCulture) : null;

    public long GetInt64(string name) => Properties.TryGetValue(name, out var value)
        ? value is string s ? long.Parse(s, CultureInfo.InvariantCulture) : Convert.ToInt64(value, CultureInfo.InvariantCulture)
        : throw new InvalidDataException($"Entity {PartitionKey}/{RowKey} has no {name}.");

    public long? GetInt64OrNull(string name) => Properties.ContainsKey(name) ? GetInt64(name) : null;

    public int GetInt32(string name) => checked((int)GetInt64(name));

    public bool GetBoolean(string name) => Properties.TryGetValue(name, out var value) && value is true;

    /// <summary>
    /// The size Table storage counts against its 1 MiB limit (the documented formula): 4 bytes, the keys
    /// in UTF-16, and per property 8 bytes, its name in UTF-16 and its value (a string: 4 + 2 per character).
    /// </summary>
    public long EstimatedSize => 4 + ((PartitionKey.Length + RowKey.Length) * 2L) + Properties.Sum(p => 8 + (p.Key.Length * 2L) + ValueSize(p.Value));

    /// <summary>The property (a split string counted whole) that takes the most room, for error messages.</summary>
    public (string Name, long Size) Largest()
    {
        var sizes = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (key, value) in Properties)
        {
            var owner = OwnerOf(key);
            sizes[owner] = sizes.GetValueOrDefault(owner) + 8 + (key.Length * 2L) + ValueSize(value);
        }

        if (sizes.Count == 0)
        {
            return ("(none)", 0);
        }

        var largest = sizes.MaxBy(p => p.Value);
        return (largest.Key, largest.Value);
    }

    /// <summary>
    /// The SDK's entity for a write: keys and the properties as they are (the SDK adds the type annotations). The
    /// ETag stays out of the body: a conditional write passes it to the SDK as its own argument.
    /// </summary>
    public Azure.Data.Tables.TableEntity ToSdk() => new(Properties) { PartitionKey = PartitionKey, RowKey = RowKey };

    /// <summary>
    /// An entity the SDK read: its keys, ETag and properties as the SDK typed them (string, int, long, bool, double,
    /// <see cref="DateTimeOffset"/>, <see cref="Guid"/>, byte[]), so writing it back keeps every type.
    /// </summary>
    public static TableEntity FromSdk(Azure.Data.Tables.TableEntity sdk)
    {
        var entity = new TableEntity(sdk.PartitionKey, sdk.RowKey) { ETag = sdk.ETag == default ? null : sdk.ETag.ToString() };
        foreach (var (name, value) in sdk)
        {
            if (value is null || name is "PartitionKey" or "RowKey" or "Timestamp" || name.StartsWith("odata.", StringComparison.Ordinal))
            {
                continue;
            }

            entity.Properties[name] = value is BinaryData binary ? binary.ToArray() : value;
        }

        return entity;
    }

    private static long ValueSize(object value) => value switch
    {
        string s => 4 + (s.Length * 2L),
        byte[] b => 4 + b.Length,
        long or double or DateTimeOffset => 8,
        int => 4,
        bool => 1,
        Guid => 16,
        _ => 8,
    };

    private static string PartName(string name, int part) => name + "_" + part.ToString(CultureInfo.InvariantCulture);

    private static bool IsPart(string key, string name) =>
        key.Length > name.Length + 1 && key.StartsWith(name + "_", StringComparison.Ordinal) && key[(name.Length + 1)..].All(char.IsAsciiDigit);

    private static string OwnerOf(string key)
    {
        var underscore = key.LastIndexOf('_');
        return underscore > 0 && (key[(underscore + 1)..] == "Parts" || key[(underscore + 1)..].All(char.IsAsciiDigit)) ? key[..underscore] : key;
    }
}
