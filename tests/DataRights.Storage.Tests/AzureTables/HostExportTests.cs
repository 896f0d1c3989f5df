using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using DataRights.Core.Ports;
using DataRights.Host.Exports;
using DataRights.Host.Storage;
using DataRights.Storage.AzureTables.Blobs;
using DataRights.Storage.Tests.Infrastructure;
using DataRights.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace DataRights.Storage.Tests.AzureTables;

/// <summary>
/// With the <c>azure-tables</c> provider, exports live in Blob storage: an access request's parts and package
/// are blobs (sealed), the download streams from there, nothing lands in the data folder, and the link's
/// expiry deletes the blobs. The folder store stays the default.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed partial class HostExportTests(AzuriteFixture azurite)
{
    private const string Email = "sam.okafor@example.com";

    [Fact]
    public async Task OnAzureTables_AnAccessRequestsExport_IsKeptInBlobStorage_DownloadedFromThere_AndDeletedWithItsLink()
    {
        var crm = new InMemoryDataSource("crm", "CRM");
        crm.Add(Email, 4);
        var billing = new InMemoryDataSource("billing", "Billing");
        billing.Add(Email, 2);
        var settings = Settings();
        using var factory = new HostFactory(settings, new InMemorySourceRegistry(crm, billing));
        using var client = factory.CreateClient();
        var store = Assert.IsType<AzureBlobExportStore>(factory.Services.GetRequiredService<IExportStore>());
        Assert.Equal(settings["DataRights:Storage:ExportContainer"], store.Connection.Container);

        using var submitted = await client.PostAsJsonAsync("/api/requests", new { type = "access", email = Email, fullName = "Sam Okafor", jurisdiction = "UK" });
        Assert.Equal(HttpStatusCode.Accepted, submitted.StatusCode);
        await factory.Services.GetRequiredService<ISubmissionInbox>().AllTakenInAsync(factory.Services.GetRequiredService<DataRights.Host.Requests.SubmissionQueue>().CountAsync);
        var id = (await factory.Services.GetRequiredService<IRequestStore>().FindAwaitingVerificationAsync(Email, CancellationToken.None))!.Id;
        await factory.DrainAsync();
        await StaffPostAsync(client, $"/api/admin/requests/{id}/verify", new { note = "Seen in person" });
        await factory.DrainAsync();
        await StaffPostAsync(client, $"/api/admin/requests/{id}/approve", new { note = "ok" });
        await factory.DrainAsync();

        // Built: the package is a blob, sealed; the per-source parts were folded into it and deleted.
        Assert.True(await store.ExistsAsync(id, ExportFiles.PackageName, CancellationToken.None));
        Assert.False(await store.ExistsAsync(id, ExportFiles.PartName("crm"), CancellationToken.None));
        Assert.False(await store.ExistsAsync(id, ExportFiles.PartName("billing"), CancellationToken.None));
        await using (var raw = await store.OpenReadAsync(id, ExportFiles.PackageName, CancellationToken.None))
        {
            using var copy = new MemoryStream();
            await raw!.CopyToAsync(copy);
            Assert.False(copy.ToArray().AsSpan().StartsWith("PK"u8));
            Assert.DoesNotContain(Email, System.Text.Encoding.UTF8.GetString(copy.ToArray()), StringComparison.Ordinal);
        }

        var ready = factory.Outbox.Single(m => m.Subject.StartsWith("Your data is ready", StringComparison.Ordinal));
        var path = new Uri(ready.Links.Single(l => l.Contains("/download/", StringComparison.Ordinal))).PathAndQuery;
        var page = await client.GetStringAsync(path);
        Assert.Contains("Download my data", page, StringComparison.Ordinal);

        using (var download = await client.PostAsync(path, new FormUrlEncodedContent([new("__csrf", CsrfField().Match(page).Groups[1].Value)])))
        {
            Assert.Equal(HttpStatusCode.OK, download.StatusCode);
            Assert.Equal("application/zip", download.Content.Headers.ContentType?.MediaType);
            using var zip = new ZipArchive(new MemoryStream(await download.Content.ReadAsByteArrayAsync()), ZipArchiveMode.Read);
            Assert.Contains("index.html", zip.Entries.Select(e => e.FullName));
            using var records = JsonDocument.Parse(await new StreamReader(zip.GetEntry("CRM/records.json")!.Open()).ReadToEndAsync());
            Assert.Equal(4, records.RootElement.GetProperty("tables")[0].GetProperty("rows").GetArrayLength());
            Assert.NotNull(zip.GetEntry("Billing/records.json"));
        }

        var exportsFolder = Path.Combine(factory.DataDirectory, "exports");
        Assert.False(Directory.Exists(exportsFolder) && Directory.EnumerateFileSystemEntries(exportsFolder).Any(), "something was written to the data folder's exports/");

        // The link expires: the export goes, from Blob storage.
        factory.Clock.Advance(TimeSpan.FromDays(7.1));
        await factory.DrainAsync();
        using (var expired = await client.GetAsync(path))
        {
            Assert.Equal(HttpStatusCode.Gone, expired.StatusCode);
        }

        Assert.False(await store.ExistsAsync(id, ExportFiles.PackageName, CancellationToken.None));
        Assert.Equal(0, await store.DeleteAllAsync(id, CancellationToken.None));
        Assert.False(Directory.Exists(exportsFolder) && Directory.EnumerateFileSystemEntries(exportsFolder).Any());
    }

    [Fact]
    public void ManagedIdentity_NeedsAnHttpsBlobEndpoint_AndGivesATokenConnection()
    {
        var settings = Settings();
        settings["DataRights:Storage:TableEndpoint"] = "https://contoso.table.core.windows.net";
        settings["DataRights:Storage:AccountKey"] = null;
        settings["DataRights:Storage:UseManagedIdentity"] = "true";
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        using (var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddDataRightsStorage(configuration).BuildServiceProvider())
        {
            var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<StorageOptions>>().Value);
            Assert.Contains("UseManagedIdentity needs an https DataRights:Storage:BlobEndpoint", error.Message, StringComparison.Ordinal);
        }

        settings["DataRights:Storage:BlobEndpoint"] = "https://contoso.blob.core.windows.net";
        configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        using (var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddLogging().AddDataRightsStorage(configuration).BuildServiceProvider())
        {
            var connection = services.GetRequiredService<AzureBlobExportStore>().Connection;
            Assert.Equal("contoso", connection.AccountName);
            Assert.Equal(settings["DataRights:Storage:ExportContainer"], connection.Container);
        }
    }

    private Dictionary<string, string?> Settings() => azurite.HostSettingsWithQueue();

    private static async Task StaffPostAsync(HttpClient client, string path, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        request.Headers.Add("X-DataRights-Dev-User", "Priya Officer");
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [GeneratedRegex("name=\"__csrf\" value=\"([^\"]+)\"")]
    private static partial Regex CsrfField();
}
