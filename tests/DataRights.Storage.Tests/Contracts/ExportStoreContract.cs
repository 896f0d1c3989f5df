using System.Security.Cryptography;
using System.Text;
using DataRights.Core.Ports;
using DataRights.Host.Exports;
using DataRights.Host.Hosting;
using Microsoft.Extensions.Options;

namespace DataRights.Storage.Tests.Contracts;

/// <summary>
/// What every <see cref="IExportStore"/> must do, run against each adapter (see ExportStoreBackends.cs):
/// whole objects back as written (over several blocks), nothing visible before a commit, deletes that are
/// idempotent and reach every object of a request over several list pages, and only sealed bytes stored.
/// </summary>
public abstract class ExportStoreContract : IDisposable
{
    /// <summary>Small, so an object of a few KiB takes several blocks (adapters without blocks ignore it).</summary>
    protected const int BlockSize = 1000;

    /// <summary>Small, so a request with a handful of objects takes several list pages.</summary>
    protected const int ListPageSize = 2;

    private readonly string _scratch = Directory.CreateTempSubdirectory("export-contract-").FullName;

    /// <summary>A store that starts empty.</summary>
    protected abstract Task<IExportStore> CreateStoreAsync();

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            Directory.Delete(_scratch, recursive: true);
        }
    }

    [Fact]
    public async Task Upload_OfSeveralBlocksWrittenInOddPieces_ReadsBackTheSameBytes()
    {
        var store = await CreateStoreAsync();
        var id = NewRequestId();
        var data = RandomNumberGenerator.GetBytes((BlockSize * 10) + 7);

        long size;
        await using (var upload = await store.CreateAsync(id, "package.zip.sealed", CancellationToken.None))
        {
            // Both the synchronous and the asynchronous write paths, as ZIP and JSON writers use them.
            for (var i = 0; i < data.Length; i += 333)
            {
                var piece = data.AsMemory(i, Math.Min(333, data.Length - i));
                if (i / 333 % 2 == 0)
                {
                    upload.Stream.Write(piece.Span);
                }
                else
                {
                    await upload.Stream.WriteAsync(piece);
                }
            }

            size = await upload.CommitAsync(CancellationToken.None);
        }

        Assert.Equal(data.Length, size);
        Assert.True(await store.ExistsAsync(id, "package.zip.sealed", CancellationToken.None));
        Assert.Equal(data, await ReadAsync(store, id, "package.zip.sealed"));
    }

    [Fact]
    public async Task Upload_BeforeCommit_IsNotVisible_AndAfterCommitIsWhole()
    {
        var store = await CreateStoreAsync();
        var id = NewRequestId();
        var data = RandomNumberGenerator.GetBytes((BlockSize * 3) + 1);
        await using var upload = await store.CreateAsync(id, "crm.part", CancellationToken.None);
        await upload.Stream.WriteAsync(data);

        Assert.False(await store.ExistsAsync(id, "crm.part", CancellationToken.None));
        Assert.Null(await store.OpenReadAsync(id, "crm.part", CancellationToken.None));

        await upload.CommitAsync(CancellationToken.None);

        Assert.True(await store.ExistsAsync(id, "crm.part", CancellationToken.None));
        Assert.Equal(data, await ReadAsync(store, id, "crm.part"));
    }

    [Fact]
    public async Task Upload_AbandonedWithoutCommit_LeavesNothingNew_AndTheEarlierObjectWhole()
    {
        var store = await CreateStoreAsync();
        var id = NewRequestId();
        var first = RandomNumberGenerator.GetBytes(BlockSize * 2);
        await WriteAsync(store, id, "package.zip.sealed", first);

        await using (var replacement = await store.CreateAsync(id, "package.zip.sealed", CancellationToken.None))
        {
            await replacement.Stream.WriteAsync(RandomNumberGenerator.GetBytes(BlockSize * 4));
        }

        await using (var abandoned = await store.CreateAsync(id, "billing.part", CancellationToken.None))
        {
            await abandoned.Stream.WriteAsync(RandomNumberGenerator.GetBytes(BlockSize * 2));
        }

        Assert.Equal(first, await ReadAsync(store, id, "package.zip.sealed"));
        Assert.False(await store.ExistsAsync(id, "billing.part", CancellationToken.None));
        Assert.Equal(1, await store.DeleteAllAsync(id, CancellationToken.None));
    }

    [Fact]
    public async Task Upload_Committed_ReplacesAnEarlierObjectOfTheSameName()
    {
        var store = await CreateStoreAsync();
        var id = NewRequestId();
        await WriteAsync(store, id, "crm.part", RandomNumberGenerator.GetBytes(BlockSize * 5));
        var second = RandomNumberGenerator.GetBytes(BlockSize + 3);

        await WriteAsync(store, id, "crm.part", second);

        Assert.Equal(second, await ReadAsync(store, id, "crm.part"));
    }

    [Fact]
    public async Task DeleteAll_MoreObjectsThanAListPage_DeletesEveryObjectOfThatRequestOnly()
    {
        var store = await CreateStoreAsync();
        var id = NewRequestId();
        var other = NewRequestId();
        var names = new[] { "billing.part", "crm.part", "newsletter.part", "support.part", "telephony.part", "package.zip.sealed" };
        foreach (var name in names)
        {
            await WriteAsync(store, id, name, Encoding.UTF8.GetBytes(name));
        }

        await WriteAsync(store, other, "crm.part", [1, 2, 3]);

        Assert.Equal(names.Length, await store.DeleteAllAsync(id, CancellationToken.None));

        foreach (var name in names)
        {
            Assert.False(await store.ExistsAsync(id, name, CancellationToken.None), name);
        }

        Assert.Equal([1, 2, 3], await ReadAsync(store, other, "crm.part"));
        Assert.Equal(0, await store.DeleteAllAsync(id, CancellationToken.None));
        Assert.Equal(0, await store.DeleteAllAsync(NewRequestId(), CancellationToken.None));
    }

    [Fact]
    public async Task Delete_OneObject_IsIdempotent_AndLeavesTheOthers()
    {
        var store = await CreateStoreAsync();
        var id = NewRequestId();
        await WriteAsync(store, id, "crm.part", [1]);
        await WriteAsync(store, id, "billing.part", [2]);

        await store.DeleteAsync(id, "crm.part", CancellationToken.None);
        await store.DeleteAsync(id, "crm.part", CancellationToken.None);
        await store.DeleteAsync(NewRequestId(), "crm.part", CancellationToken.None);

        Assert.False(await store.ExistsAsync(id, "crm.part", CancellationToken.None));
        Assert.Null(await store.OpenReadAsync(id, "crm.part", CancellationToken.None));
        Assert.Equal([2], await ReadAsync(store, id, "billing.part"));
    }

    [Theory]
    [InlineData("../escape", "crm.part")]
    [InlineData("dr_a/b", "crm.part")]
    [InlineData("", "crm.part")]
    [InlineData("dr_ok", "../crm.part")]
    [InlineData("dr_ok", "a/b.part")]
    [InlineData("dr_ok", ".hidden")]
    [InlineData("dr_ok", "crm.part?comp=list")]
    public async Task Names_OutsideTheRules_AreRefusedBeforeAnythingIsTouched(string requestId, string name)
    {
        var store = await CreateStoreAsync();

        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.CreateAsync(requestId, name, CancellationToken.None));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.OpenReadAsync(requestId, name, CancellationToken.None));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.ExistsAsync(requestId, name, CancellationToken.None));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.DeleteAsync(requestId, name, CancellationToken.None));
    }

    [Fact]
    public async Task ExportFiles_SealBeforeTheStore_SoItHoldsOnlyCiphertext_AndOpenBackThePlaintext()
    {
        var store = await CreateStoreAsync();
        var files = new ExportFiles(Options.Create(new DataRightsOptions { DataDirectory = _scratch }), store);
        var id = NewRequestId();
        var line = Encoding.UTF8.GetBytes("{\"row\":[1,\"kim.lee@example.com\"]}\n");
        var plain = Enumerable.Repeat(line, (3 * SealedStreams.ChunkSize / line.Length) + 5).SelectMany(b => b).ToArray();

        long size;
        await using (var part = await files.CreatePartAsync(id, "crm", CancellationToken.None))
        {
            await part.Stream.WriteAsync(plain);
            Assert.False(await files.PartExistsAsync(id, "crm", CancellationToken.None));
            size = await part.CommitAsync(CancellationToken.None);
        }

        var stored = await ReadAsync(store, id, ExportFiles.PartName("crm"));
        Assert.Equal(stored.Length, size);
        Assert.DoesNotContain("kim.lee", Encoding.UTF8.GetString(stored), StringComparison.Ordinal);
        await using (var opened = await files.OpenPartAsync(id, "crm", CancellationToken.None))
        {
            using var copy = new MemoryStream();
            await opened!.CopyToAsync(copy);
            Assert.Equal(plain, copy.ToArray());
        }

        // The label binds a sealed object to its place: a part read as another source's is refused.
        await WriteAsync(store, id, ExportFiles.PartName("billing"), stored);
        await using var misplaced = await files.OpenPartAsync(id, "billing", CancellationToken.None);
        await Assert.ThrowsAnyAsync<CryptographicException>(() => misplaced!.CopyToAsync(Stream.Null));
        Assert.Null(await files.OpenPackageAsync(id, CancellationToken.None));
    }

    protected static string NewRequestId() => "dr_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(10));

    private static async Task WriteAsync(IExportStore store, string requestId, string name, byte[] data)
    {
        await using var upload = await store.CreateAsync(requestId, name, CancellationToken.None);
        await upload.Stream.WriteAsync(data);
        Assert.Equal(data.Length, await upload.CommitAsync(CancellationToken.None));
    }

    private static async Task<byte[]> ReadAsync(IExportStore store, string requestId, string name)
    {
        await using var stream = await store.OpenReadAsync(requestId, name, CancellationToken.None);
        Assert.NotNull(stream);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }
}
