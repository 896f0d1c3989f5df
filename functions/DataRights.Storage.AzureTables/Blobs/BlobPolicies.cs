using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Azure.Core;
using Azure.Core.Pipeline;

namespace DataRights.Storage.AzureTables.Blobs;

/// <summary>The header every Blob REST call carries: the API version.</summary>
internal sealed class BlobHeadersPolicy : HttpPipelineSynchronousPolicy
{
    public const string ApiVersion = "2023-11-03";

    public override void OnSendingRequest(HttpMessage message) => message.Request.Headers.SetValue("x-ms-version", ApiVersion);
}

/// <summary>
/// Shared Key for the Blob service (not Shared Key Lite, whose resource leaves out most query parameters):
/// HMAC-SHA256 of the verb, the standard headers in their fixed order, every <c>x-ms-</c> header and the
/// canonical resource (account, path, every query parameter). A per-retry policy, so each attempt is signed
/// with a fresh date; the date is the real clock (the service refuses requests more than 15 minutes off).
/// </summary>
internal sealed class BlobSharedKeyPolicy(string accountName, byte[] accountKey) : HttpPipelineSynchronousPolicy
{
    private static readonly string[] StandardHeaders =
        ["Content-Encoding", "Content-Language", "Content-Length", "Content-MD5", "Content-Type", "Date", "If-Modified-Since", "If-Match", "If-None-Match", "If-Unmodified-Since", "Range"];

    public override void OnSendingRequest(HttpMessage message)
    {
        var request = message.Request;
        request.Headers.SetValue("x-ms-date", TimeProvider.System.GetUtcNow().ToString("R", CultureInfo.InvariantCulture));
        var length = request.Content is { } content && content.TryComputeLength(out var bytes) ? bytes : 0;
        var headers = request.Headers.ToDictionary(h => h.Name, h => h.Value, StringComparer.OrdinalIgnoreCase);
        headers["Content-Length"] = length == 0 ? string.Empty : length.ToString(CultureInfo.InvariantCulture);
        var signature = Sign(accountName, accountKey, request.Method.Method, headers, request.Uri.ToUri());
        request.Headers.SetValue("Authorization", "SharedKey " + accountName + ":" + signature);
    }

    /// <summary>The signature of one request (public for tests against the documented examples).</summary>
    public static string Sign(string accountName, byte[] accountKey, string method, IReadOnlyDictionary<string, string> headers, Uri uri) =>
        Convert.ToBase64String(HMACSHA256.HashData(accountKey, Encoding.UTF8.GetBytes(StringToSign(accountName, method, headers, uri))));

    public static string StringToSign(string accountName, string method, IReadOnlyDictionary<string, string> headers, Uri uri)
    {
        var text = new StringBuilder(method.ToUpperInvariant()).Append('\n');
        foreach (var name in StandardHeaders)
        {
            text.Append(headers.TryGetValue(name, out var value) ? value : string.Empty).Append('\n');
        }

        foreach (var (name, value) in headers
                     .Where(h => h.Key.StartsWith("x-ms-", StringComparison.OrdinalIgnoreCase))
                     .Select(h => (Name: h.Key.ToLowerInvariant(), Value: h.Value.Trim()))
                     .OrderBy(h => h.Name, StringComparer.Ordinal))
        {
            text.Append(name).Append(':').Append(value).Append('\n');
        }

        // Path-style addresses (Azurite) keep the account in the path, so it appears twice, as the service expects.
        text.Append('/').Append(accountName).Append(uri.AbsolutePath.Length > 0 ? uri.AbsolutePath : "/");
        var query = uri.Query.TrimStart('?');
        if (query.Length > 0)
        {
            foreach (var parameter in query.Split('&', StringSplitOptions.RemoveEmptyEntries)
                         .Select(p => p.Split('=', 2))
                         .GroupBy(p => Uri.UnescapeDataString(p[0]).ToLowerInvariant(), p => p.Length > 1 ? Uri.UnescapeDataString(p[1]) : string.Empty)
                         .OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                text.Append('\n').Append(parameter.Key).Append(':').Append(string.Join(',', parameter.Order(StringComparer.Ordinal)));
            }
        }

        return text.ToString();
    }
}
