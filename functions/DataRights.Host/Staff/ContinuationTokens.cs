using System.Buffers.Text;
using System.Globalization;
using System.Text;
using DataRights.Core.Ports;

namespace DataRights.Host.Staff;

/// <summary>
/// The opaque continuation token of the staff list of open requests: where the previous page ended, as base64url text.
/// It carries no personal data (a due date, an instant and a request id) and needs no signature: staff may read any page.
/// </summary>
public static class ContinuationTokens
{
    private const string Version = "o1";

    public static string Write(OpenRequestCursor cursor) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(string.Join('\n',
        Version,
        cursor.DueOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        cursor.ReceivedAt.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
        cursor.Id)));

    /// <summary>The cursor a token names; null for anything that is not a token <see cref="Write"/> made.</summary>
    public static OpenRequestCursor? Read(string token)
    {
        if (token.Length is 0 or > 512)
        {
            return null;
        }

        string text;
        try
        {
            text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token));
        }
        catch (FormatException)
        {
            return null;
        }

        return text.Split('\n') is [Version, var due, var received, var id]
            && DateOnly.TryParseExact(due, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var dueOn)
            && DateTimeOffset.TryParseExact(received, "O", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var receivedAt)
            && id.Length is > 0 and <= 64 && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-')
            ? new OpenRequestCursor(dueOn, receivedAt, id)
            : null;
    }
}
