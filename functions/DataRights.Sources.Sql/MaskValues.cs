using System.Security.Cryptography;
using System.Text;
using DataRights.Core.Sources;
using DataRights.Core.Sources.Registry;

namespace DataRights.Host.Sources;

/// <summary>What a masked category's values become, the same in every connector type.</summary>
public static class MaskValues
{
    /// <summary>
    /// The replacement for <paramref name="category"/>'s mask: its fixed text, a keyed hash of the person, or null
    /// (the value removed). A keyed hash keeps rows of one person linkable (for totals) without saying who they were.
    /// </summary>
    public static string? For(CategoryPolicy category, SubjectIdentity subject, byte[] maskKey) => category.Mask switch
    {
        "fixed" => category.MaskValue!,
        "keyed_hash" => KeyedHash(category.Key, subject.Email, maskKey),
        _ => null,
    };

    /// <summary><c>erased:</c> and the first 24 hex digits of HMAC-SHA256(mask key, category key, U+001F, normalised email).</summary>
    public static string KeyedHash(string categoryKey, string email, byte[] maskKey) =>
        "erased:" + Convert.ToHexStringLower(HMACSHA256.HashData(maskKey, Encoding.UTF8.GetBytes(categoryKey + "\u001f" + email)))[..24];
}
