using System.Security.Cryptography;
using System.Text;
using DataRights.Core.Verification;
using DataRights.Host.Hosting;
using DataRights.Host.Links;
using Microsoft.Extensions.Options;

namespace DataRights.Host.Verification;

/// <summary>
/// Turns what a requester typed into <see cref="GivenDataPoint"/>s: the value in its comparable form, and its keyed hash
/// (HMAC-SHA256 of name and value under <see cref="VerificationOptions.HashKey"/>), which is all the audit trail keeps.
/// </summary>
public sealed class DataPointHasher
{
    private readonly Lazy<byte[]> _key;

    public DataPointHasher(IOptions<VerificationOptions> options, IOptions<DataRightsOptions> dataRights)
    {
        var reference = options.Value.HashKey;
        var folder = dataRights.Value.DataDirectory;
        _key = new Lazy<byte[]>(() => KeyFiles.FromReferenceOrFile(
            reference, folder, "verification.key", length => length >= 32, "DataRights:Verification:HashKey must hold at least 32 bytes, base64-encoded."));
    }

    public GivenDataPoint Give(DataPointDefinition point, string typed)
    {
        var value = GivenDataPoint.Comparable(point.Field, typed);
        return new GivenDataPoint(point.Name, point.Field, value, Hash(point.Name, value));
    }

    /// <summary>The keyed hash of one detail: the same person giving the same detail gives the same hash, which reveals nothing without the key.</summary>
    public string Hash(string name, string comparableValue) =>
        "hmac-sha256:" + Convert.ToHexStringLower(HMACSHA256.HashData(_key.Value, Encoding.UTF8.GetBytes(name + "\n" + comparableValue)));
}
