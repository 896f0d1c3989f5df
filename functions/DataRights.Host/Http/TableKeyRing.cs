using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using DataRights.Storage.AzureTables;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace DataRights.Host.Http;

/// <summary>
/// The data-protection key ring on Table storage, so every instance reads the cookies and anti-forgery tokens
/// another made (a form served by one instance may be posted to another). Each key's XML is sealed with
/// AES-256-GCM under a key derived (HKDF-SHA256, its own label) from the shared export key, so the table never
/// holds a key in clear. The interface is synchronous; it is called at start and when a key is made (every 90
/// days), never per request.
/// </summary>
internal sealed class TableKeyRing(AzureTableStore store, Func<byte[]> sharedKey) : IXmlRepository
{
    private static readonly byte[] Label = Encoding.ASCII.GetBytes("DataRights data-protection key ring v1");

    public IReadOnlyCollection<XElement> GetAllElements() =>
        [.. store.ReadKeyRingAsync(CancellationToken.None).GetAwaiter().GetResult().Select(Open)];

    public void StoreElement(XElement element, string friendlyName) =>
        store.AddToKeyRingAsync(friendlyName, Seal(element), CancellationToken.None).GetAwaiter().GetResult();

    private byte[] Key() => HKDF.DeriveKey(HashAlgorithmName.SHA256, sharedKey(), 32, salt: [], info: Label);

    private string Seal(XElement element)
    {
        var plain = Encoding.UTF8.GetBytes(element.ToString(SaveOptions.DisableFormatting));
        var nonce = RandomNumberGenerator.GetBytes(12);
        var cipher = new byte[plain.Length];
        var tag = new byte[16];
        using (var aes = new AesGcm(Key(), tag.Length))
        {
            aes.Encrypt(nonce, plain, cipher, tag, Label);
        }

        return Convert.ToBase64String([.. nonce, .. tag, .. cipher]);
    }

    private XElement Open(string sealedKey)
    {
        var bytes = Convert.FromBase64String(sealedKey);
        var plain = new byte[bytes.Length - 28];
        using (var aes = new AesGcm(Key(), 16))
        {
            aes.Decrypt(bytes.AsSpan(0, 12), bytes.AsSpan(28), bytes.AsSpan(12, 16), plain, Label);
        }

        return XElement.Parse(Encoding.UTF8.GetString(plain));
    }
}
