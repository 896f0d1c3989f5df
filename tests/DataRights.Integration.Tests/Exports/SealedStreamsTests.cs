using System.Security.Cryptography;
using DataRights.Host.Exports;

namespace DataRights.Integration.Tests.Exports;

/// <summary>Exports are sealed at rest with AES-256-GCM in chunks: what goes in comes out, and any change is refused.</summary>
public sealed class SealedStreamsTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("sealed-").FullName;
    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(SealedStreams.ChunkSize)]
    [InlineData((SealedStreams.ChunkSize * 3) + 17)]
    public void SealThenOpen_GivesBackTheSameBytes(int size)
    {
        var data = RandomNumberGenerator.GetBytes(size);
        var path = Seal(data, "label");

        Assert.Equal(data, Open(path, _key, "label"));
        var chunks = size == 0 ? 1 : (size + SealedStreams.ChunkSize - 1) / SealedStreams.ChunkSize;
        Assert.Equal(16 + size + ((4 + 16) * chunks), new FileInfo(path).Length);
    }

    [Fact]
    public void Open_AlteredByteWrongKeyWrongLabelCutShortOrExtended_IsRefused()
    {
        var data = RandomNumberGenerator.GetBytes((SealedStreams.ChunkSize * 2) + 5);
        var path = Seal(data, "label");
        var bytes = File.ReadAllBytes(path);

        Assert.ThrowsAny<CryptographicException>(() => Open(path, RandomNumberGenerator.GetBytes(32), "label"));
        Assert.ThrowsAny<CryptographicException>(() => Open(path, _key, "another file"));
        Assert.ThrowsAny<CryptographicException>(() => Open(Write([.. bytes[..100], (byte)(bytes[100] ^ 1), .. bytes[101..]]), _key, "label"));
        Assert.ThrowsAny<CryptographicException>(() => Open(Write(bytes[..(16 + 4 + SealedStreams.ChunkSize + 16)]), _key, "label"));
        Assert.ThrowsAny<CryptographicException>(() => Open(Write(bytes[..^3]), _key, "label"));
        Assert.ThrowsAny<CryptographicException>(() => Open(Write([.. bytes, .. bytes[16..]]), _key, "label"));
    }

    private string Seal(byte[] data, string label)
    {
        var path = Path.Combine(_folder, Guid.NewGuid().ToString("N"));
        using (var stream = SealedStreams.Create(path, _key, label))
        {
            // Written in odd-sized pieces, as a ZIP writer does.
            for (var i = 0; i < data.Length; i += 1000)
            {
                stream.Write(data, i, Math.Min(1000, data.Length - i));
            }
        }

        return path;
    }

    private string Write(byte[] bytes)
    {
        var path = Path.Combine(_folder, Guid.NewGuid().ToString("N"));
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static byte[] Open(string path, byte[] key, string label)
    {
        using var stream = SealedStreams.Open(path, key, label);
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
