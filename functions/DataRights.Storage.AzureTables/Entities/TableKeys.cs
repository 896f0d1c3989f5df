using System.Globalization;
using System.Text;
using Azure.Data.Tables;

namespace DataRights.Storage.AzureTables.Entities;

/// <summary>
/// Partition and row keys of the store's own tables, and the filters over them (written by the SDK's
/// <see cref="TableClient.CreateQueryFilter(FormattableString)"/>). Keys may not hold <c>/ \ # ?</c> or control
/// characters, so anything outside <c>[A-Za-z0-9-._]</c> is written as <c>~XXXX</c> (its UTF-16 code unit):
/// the stored layout, which never changes meaning.
/// </summary>
internal static class TableKeys
{
    /// <summary>Table storage allows 1 KiB per key: 512 UTF-16 characters.</summary>
    public const int MaxKeyLength = 512;

    /// <summary>The value <see cref="Escape"/> was given.</summary>
    public static string Unescape(string key)
    {
        var builder = new StringBuilder(key.Length);
        for (var i = 0; i < key.Length; i++)
        {
            if (key[i] == '~' && i + 4 < key.Length && int.TryParse(key.AsSpan(i + 1, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var code))
            {
                builder.Append((char)code);
                i += 4;
            }
            else
            {
                builder.Append(key[i]);
            }
        }

        return builder.ToString();
    }

    public static string Escape(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        StringBuilder? builder = null;
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            var safe = c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '-' or '.' or '_';
            if (safe)
            {
                builder?.Append(c);
                continue;
            }

            builder ??= new StringBuilder(value, 0, i, value.Length + 16);
            builder.Append('~').Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
        }

        return builder?.ToString() ?? value;
    }

    /// <summary>Fixed-width decimal, so numbers sort as text: sequence numbers, ticks.</summary>
    public static string Number(long value) => value.ToString("D19", CultureInfo.InvariantCulture);

    /// <summary>An OData string literal (quoted, inner quotes doubled), as the SDK writes it.</summary>
    public static string Literal(string value) => TableClient.CreateQueryFilter($"{value}");

    /// <summary>Rows whose key starts with <paramref name="prefix"/> (which ends in '_'): <c>prefix &lt;= RowKey &lt; prefix-with-'`'</c>.</summary>
    public static string RowKeyPrefix(string prefix)
    {
        if (!prefix.EndsWith('_'))
        {
            throw new ArgumentException("Row key prefixes end in '_'.", nameof(prefix));
        }

        var end = prefix[..^1] + "`";
        return TableClient.CreateQueryFilter($"RowKey ge {prefix} and RowKey lt {end}");
    }

    public static string Partition(string partitionKey) => TableClient.CreateQueryFilter($"PartitionKey eq {partitionKey}");

    public static void EnsureValid(string key, string what)
    {
        if (key.Length > MaxKeyLength)
        {
            throw new TableEntityTooLargeException(
                $"The {what} '{key[..40]}…' is {key.Length} characters long; Table storage keys hold at most {MaxKeyLength} characters.");
        }
    }
}
