using System.Text;

namespace DataRights.Storage.AzureTables.Entities;

/// <summary>
/// Where a query's service stopped, from the SDK's continuation token ("next partition key, space, next row key"): the
/// keys of the next row it would have read. Table storage sends each key encoded, Azure as <c>1!length!base64</c> with
/// '-' for '=' (and may leave the row key out when it stops between partitions), Azurite as plain base64; both are read
/// back to the keys themselves. A key of neither shape is kept as it came.
/// </summary>
internal sealed record ContinuationPlace(string PartitionKey, string? RowKey)
{
    /// <summary>The place a continuation token names; null for an empty token.</summary>
    public static ContinuationPlace? Parse(string? token)
    {
        if (string.IsNullOrWhiteSpace(token))
        {
            return null;
        }

        var space = token.IndexOf(' ', StringComparison.Ordinal);
        var partition = space < 0 ? token : token[..space];
        var row = space < 0 ? string.Empty : token[(space + 1)..];
        return new ContinuationPlace(Decode(partition), row.Length == 0 ? null : Decode(row));
    }

    private static string Decode(string key)
    {
        var parts = key.Split('!', 3);
        var encoded = parts.Length == 3 && parts[0].All(char.IsAsciiDigit) && parts[1].All(char.IsAsciiDigit)
            ? parts[2].Replace('-', '=')
            : key;
        var bytes = new byte[encoded.Length];
        return Convert.TryFromBase64String(encoded, bytes, out var written) && IsText(bytes.AsSpan(0, written), out var text) ? text : key;
    }

    private static bool IsText(ReadOnlySpan<byte> bytes, out string text)
    {
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
            return true;
        }
        catch (DecoderFallbackException)
        {
            text = string.Empty;
            return false;
        }
    }
}
