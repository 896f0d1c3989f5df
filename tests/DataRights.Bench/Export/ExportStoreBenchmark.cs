using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using DataRights.Host.Exports;
using DataRights.Host.Hosting;
using DataRights.Storage.AzureTables.Blobs;
using DataRights.Testing.Azurite;
using Microsoft.Extensions.Options;

namespace DataRights.Bench.Export;

/// <summary>
/// Where a sealed package is kept: Azure Blob storage (Azurite on loopback, in memory; Put Block in 4 MiB blocks
/// then Put Block List; a streamed Get Blob), writing and then reading back one package of random (incompressible)
/// bytes through the real sealing code, the best of three runs. Blob storage is the only export store: the
/// data-folder store is retired, so there is no folder lane.
/// </summary>
internal static class ExportStoreBenchmark
{
    private const int Piece = 81920;

    public static async Task<int> RunAsync(int mebibytes, TextWriter output, CancellationToken cancellationToken)
    {
        output.WriteLine($"DataRights bench: export store (one sealed package of {mebibytes} MiB written to Blob storage on Azurite, then read back)");
        output.WriteLine($"Machine   : {Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}");
        var plain = RandomNumberGenerator.GetBytes(Piece);
        var bytes = (long)mebibytes * 1024 * 1024;
        var scratch = Directory.CreateTempSubdirectory("datarights-bench-exportstores-").FullName;
        try
        {
            // The data folder holds only the export key here.
            var options = Options.Create(new DataRightsOptions { DataDirectory = scratch });
            await using var azurite = await AzuriteServer.StartAsync(cancellationToken);
            var store = new AzureBlobExportStore(AzureBlobConnection.ForAzurite(azurite.BlobPort, AzureBlobConnection.DefaultContainer));
            await store.InitializeAsync(cancellationToken);
            var blob = await MeasureAsync(new ExportFiles(options, store), plain, bytes, cancellationToken);

            output.WriteLine();
            output.WriteLine("| store | write MiB/s | read MiB/s | sealed MiB |");
            output.WriteLine("|---|---:|---:|---:|");
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| Blob (Azurite, loopback) | {blob.WriteMiBs:0} | {blob.ReadMiBs:0} | {blob.SealedBytes / 1048576.0:0.0} |"));
            return 0;
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }

    private static async Task<Figures> MeasureAsync(ExportFiles files, byte[] plain, long bytes, CancellationToken cancellationToken)
    {
        double bestWrite = double.MaxValue, bestRead = double.MaxValue;
        long sealedBytes = 0;
        for (var run = 0; run < 3; run++)
        {
            var id = "dr_bench" + run.ToString(CultureInfo.InvariantCulture);
            var write = Stopwatch.StartNew();
            await using (var package = await files.CreatePackageAsync(id, cancellationToken))
            {
                for (long written = 0; written < bytes; written += Piece)
                {
                    await package.Stream.WriteAsync(plain.AsMemory(0, (int)Math.Min(Piece, bytes - written)), cancellationToken);
                }

                sealedBytes = await package.CommitAsync(cancellationToken);
            }

            write.Stop();
            var read = Stopwatch.StartNew();
            long total = 0;
            var buffer = new byte[Piece];
            await using (var opened = await files.OpenPackageAsync(id, cancellationToken) ?? throw new InvalidOperationException("The package is missing."))
            {
                int n;
                while ((n = await opened.ReadAsync(buffer, cancellationToken)) > 0)
                {
                    total += n;
                }
            }

            read.Stop();
            if (total != bytes)
            {
                throw new InvalidOperationException($"Read {total} bytes back, wrote {bytes}.");
            }

            await files.DeleteAsync(id, cancellationToken);
            bestWrite = Math.Min(bestWrite, write.Elapsed.TotalSeconds);
            bestRead = Math.Min(bestRead, read.Elapsed.TotalSeconds);
        }

        var mib = bytes / 1048576.0;
        return new Figures(mib / bestWrite, mib / bestRead, sealedBytes);
    }

    private sealed record Figures(double WriteMiBs, double ReadMiBs, long SealedBytes);
}
