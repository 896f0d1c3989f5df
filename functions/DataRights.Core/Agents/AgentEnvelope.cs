using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace DataRights.Core.Agents;

/// <summary>
/// How commands and answers between the pipeline and an agent are protected with the secret they share: a command is
/// sealed (AES-256-GCM, key derived from the secret with HKDF, its id as associated data) so the queue holds nothing
/// readable about the person; an answer is signed as the HTTP connector contract signs callbacks (HMAC-SHA256 over
/// timestamp, a dot and the body: <c>v1=</c> and lower-case hex).
/// </summary>
public static class AgentEnvelope
{
    private const byte Version = 1;
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The sealed message body of <paramref name="command"/>.</summary>
    public static byte[] Seal(AgentCommand command, byte[] secret)
    {
        ArgumentNullException.ThrowIfNull(command);
        var plain = JsonSerializer.SerializeToUtf8Bytes(command, Json);
        var sealedBody = new byte[1 + NonceSize + TagSize + plain.Length];
        sealedBody[0] = Version;
        var nonce = sealedBody.AsSpan(1, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(Key(secret), TagSize);
        aes.Encrypt(nonce, plain, sealedBody.AsSpan(1 + NonceSize + TagSize), sealedBody.AsSpan(1 + NonceSize, TagSize), Encoding.UTF8.GetBytes(command.CommandId));
        return sealedBody;
    }

    /// <summary>The command in a sealed body, checked against the message id it came with; throws <see cref="InvalidDataException"/> when it is not one (another secret, altered, or another message's).</summary>
    public static AgentCommand Open(byte[] sealedBody, string messageId, byte[] secret)
    {
        ArgumentNullException.ThrowIfNull(sealedBody);
        if (sealedBody.Length < 1 + NonceSize + TagSize || sealedBody[0] != Version)
        {
            throw new InvalidDataException("The message is not a sealed command.");
        }

        var plain = new byte[sealedBody.Length - 1 - NonceSize - TagSize];
        try
        {
            using var aes = new AesGcm(Key(secret), TagSize);
            aes.Decrypt(sealedBody.AsSpan(1, NonceSize), sealedBody.AsSpan(1 + NonceSize + TagSize), sealedBody.AsSpan(1 + NonceSize, TagSize), plain, Encoding.UTF8.GetBytes(messageId));
            return JsonSerializer.Deserialize<AgentCommand>(plain, Json) is { CommandId.Length: > 0 } command && command.CommandId == messageId
                ? command
                : throw new InvalidDataException("The sealed command is not in the expected shape.");
        }
        catch (AuthenticationTagMismatchException)
        {
            throw new InvalidDataException("The command was not sealed with this agent's secret, or was altered.");
        }
        catch (JsonException)
        {
            throw new InvalidDataException("The sealed command is not in the expected shape.");
        }
    }

    /// <summary>The signature of a callback: <c>v1=</c> and the HMAC-SHA256 of timestamp, a dot and the body, in lower-case hex.</summary>
    public static string Sign(byte[] secret, string timestamp, byte[] body)
    {
        ArgumentNullException.ThrowIfNull(timestamp);
        ArgumentNullException.ThrowIfNull(body);
        var message = Encoding.ASCII.GetBytes(timestamp + ".").Concat(body).ToArray();
        return "v1=" + Convert.ToHexStringLower(HMACSHA256.HashData(secret, message));
    }

    /// <summary>The timestamp header of a callback signed at <paramref name="now"/>: Unix seconds.</summary>
    public static string Timestamp(DateTimeOffset now) => now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);

    private static byte[] Key(byte[] secret) =>
        HKDF.DeriveKey(HashAlgorithmName.SHA256, secret, 32, info: "datarights-agent-command-v1"u8.ToArray());
}
