using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using DataRights.Host.Hosting;
using DataRights.Host.Links;
using Microsoft.Extensions.Options;

namespace DataRights.Host.Requests;

/// <summary>
/// Unguessable status links. The token is an HMAC of the request id under a secret key, so the same
/// request always gets the same link (a repeated submission can be answered with it) and nobody can
/// make one without the key. Only the token's SHA-256 is stored, to find the request.
/// </summary>
public sealed class StatusLinks
{
    private const int TokenLength = 43;
    private readonly byte[] _key;

    public StatusLinks(IOptions<DataRightsOptions> options)
    {
        var o = options.Value;
        _key = string.IsNullOrEmpty(o.StatusLinkKey) ? KeyFiles.LoadOrCreate(o.DataDirectory, "status-link.key") : Convert.FromBase64String(o.StatusLinkKey);
    }

    public string CreateToken(string requestId) =>
        Base64Url.EncodeToString(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes("status-link:v1:" + requestId)));

    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    /// <summary>Cheap shape check so junk never reaches the store.</summary>
    public static bool LooksLikeToken(string? token) =>
        token is { Length: TokenLength } && token.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');
}
