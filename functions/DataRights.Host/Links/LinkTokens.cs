using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using DataRights.Host.Hosting;
using Microsoft.Extensions.Options;

namespace DataRights.Host.Links;

/// <summary>
/// Signed, expiring, single-use links: HMAC-SHA256 over (purpose, request id, step, recipient hash,
/// expiry, nonce) under a key named by id, so keys can rotate (old keys keep verifying while
/// listed). Single use is enforced by the request, which records used nonces.
/// </summary>
public sealed class LinkTokens
{
    private readonly Dictionary<string, byte[]> _keys;
    private readonly string _activeKeyId;
    private readonly ILogger<LinkTokens> _logger;

    public LinkTokens(IOptions<DataRightsOptions> options, ILogger<LinkTokens> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _logger = logger;
        var o = options.Value;
        _keys = o.LinkKeys.ToDictionary(p => p.Key, p => Convert.FromBase64String(p.Value), StringComparer.Ordinal);
        if (_keys.Count == 0)
        {
            _keys["local"] = KeyFiles.LoadOrCreate(o.DataDirectory, "link-local.key");
        }

        _activeKeyId = string.IsNullOrEmpty(o.ActiveLinkKeyId) ? _keys.Keys.Order(StringComparer.Ordinal).Last() : o.ActiveLinkKeyId;
    }

    public static string HashRecipient(string recipient) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("recipient:" + recipient.Trim().ToLowerInvariant())))[..32];

    public string Create(string purpose, string requestId, string step, string recipient, DateTimeOffset expiresAt)
    {
        var claims = new Payload(1, purpose, requestId, step, HashRecipient(recipient), expiresAt.ToUnixTimeSeconds(),
            Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16)), _activeKeyId);
        var body = Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(claims));
        return body + "." + Sign(_keys[_activeKeyId], body);
    }

    /// <summary>Checks the signature, key, expiry and purpose. Binding to a request and recipient is the caller's check.</summary>
    public (LinkClaims? Claims, LinkProblem Problem) Read(string? token, string purpose, DateTimeOffset now)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 1024 || token.Split('.') is not [var body, var signature])
        {
            return (null, LinkProblem.Malformed);
        }

        Payload? payload;
        try
        {
            payload = JsonSerializer.Deserialize<Payload>(Base64Url.DecodeFromChars(body));
        }
        catch (Exception ex) when (ex is JsonException or FormatException)
        {
            return (null, LinkProblem.Malformed);
        }

        if (payload is not { V: 1 } || payload.P is null || payload.R is null || payload.S is null || payload.To is null || payload.N is null || payload.K is null)
        {
            return (null, LinkProblem.Malformed);
        }

        if (!_keys.TryGetValue(payload.K, out var key))
        {
            // A key retired too soon, or a link of another deployment: the operator learns which (never the token).
            _logger.LinkKeyUnknown(payload.K.Length <= 40 && payload.K.All(char.IsAsciiLetterOrDigit) ? payload.K : "(not a key id)");
            return (null, LinkProblem.UnknownKey);
        }

        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Sign(key, body)), Encoding.ASCII.GetBytes(signature)))
        {
            // A link changed on its way, or the key's bytes replaced under the same id (a redeploy making new keys).
            _logger.LinkSignatureRefused(payload.K);
            return (null, LinkProblem.BadSignature);
        }

        var claims = new LinkClaims(payload.P, payload.R, payload.S, payload.To, DateTimeOffset.FromUnixTimeSeconds(payload.Exp), payload.N, payload.K);
        if (claims.ExpiresAt <= now)
        {
            return (claims, LinkProblem.Expired);
        }

        return claims.Purpose != purpose ? (claims, LinkProblem.WrongPurpose) : (claims, LinkProblem.None);
    }

    private static string Sign(byte[] key, string body) =>
        Base64Url.EncodeToString(HMACSHA256.HashData(key, Encoding.ASCII.GetBytes("link-v1." + body)));

    private sealed record Payload(int V, string? P, string? R, string? S, string? To, long Exp, string? N, string? K);
}
