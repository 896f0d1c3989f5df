using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using DataRights.Host.Hosting;
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

    public StatusLinks(IOptions<DataRightsOptions> options, ILogger<StatusLinks> logger)
    {
        var o = options.Value;
        _key = string.IsNullOrEmpty(o.StatusLinkKey) ? LoadOrCreateKeyFile(o.DataDirectory, logger) : Convert.FromBase64String(o.StatusLinkKey);
    }

    public string CreateToken(string requestId) =>
        Base64Url.EncodeToString(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes("status-link:v1:" + requestId)));

    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    /// <summary>Cheap shape check so junk never reaches the store.</summary>
    public static bool LooksLikeToken(string? token) =>
        token is { Length: TokenLength } && token.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    private static byte[] LoadOrCreateKeyFile(string dataDirectory, ILogger logger)
    {
        var folder = Path.Combine(Path.GetFullPath(dataDirectory), "keys");
        var path = Path.Combine(folder, "status-link.key");
        if (File.Exists(path))
        {
            return Convert.FromBase64String(File.ReadAllText(path).Trim());
        }

        Directory.CreateDirectory(folder);
        var key = RandomNumberGenerator.GetBytes(32);
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, Convert.ToBase64String(key));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        // Two hosts starting at once on one folder: the first rename wins and both read its key.
        try
        {
            File.Move(temporary, path, overwrite: false);
            logger.StatusKeyCreated();
        }
        catch (IOException)
        {
            File.Delete(temporary);
        }

        return Convert.FromBase64String(File.ReadAllText(path).Trim());
    }
}
