using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace DataRights.Queue.ServiceBus;

/// <summary>
/// Service Bus shared access signatures: <c>SharedAccessSignature sr={uri}&amp;sig={signature}&amp;se={expiry}&amp;skn={keyName}</c>,
/// where the signature is the base64 HMAC-SHA256, under the key's text as UTF-8, of the URL-encoded resource URI, a
/// newline, and the expiry in Unix seconds.
/// </summary>
public static class SharedAccessSignature
{
    public static string Create(Uri resource, string keyName, string key, DateTimeOffset expiresAt)
    {
        ArgumentNullException.ThrowIfNull(resource);
        var encodedResource = WebUtility.UrlEncode(resource.AbsoluteUri.TrimEnd('/').ToLowerInvariant());
        var expiry = expiresAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var signature = Sign(key, encodedResource + "\n" + expiry);
        return $"SharedAccessSignature sr={encodedResource}&sig={WebUtility.UrlEncode(signature)}&se={expiry}&skn={WebUtility.UrlEncode(keyName)}";
    }

    /// <summary>The base64 HMAC-SHA256 of <paramref name="stringToSign"/> under <paramref name="key"/> (its UTF-8 text, not decoded).</summary>
    public static string Sign(string key, string stringToSign) =>
        Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes(stringToSign)));
}
