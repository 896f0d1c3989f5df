using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using DataRights.Core.Ports;
using DataRights.Core.Retention;
using DataRights.Core.Sources.Registry;
using DataRights.Email.SendGrid.SentLog;
using DataRights.Host.Storage;
using DataRights.Storage.AzureTables;
using DataRights.Storage.Tests.Infrastructure;
using DataRights.Testing;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Options;

namespace DataRights.Storage.Tests.AzureTables;

/// <summary>The program chooses its store from <c>DataRights:Storage</c>, and runs the whole workflow on Table storage.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class HostStorageTests(AzuriteFixture azurite)
{
    private const string Email = "kim.lee@example.com";

    [Fact]
    public async Task OnAzureTables_ARequestGoesFromIntakeToCompletion_WithItsTrailIntact()
    {
        var crm = new InMemoryDataSource("crm", "CRM");
        crm.Add(Email, 3);
        using var factory = new HostFactory(AzureSettings(), new InMemorySourceRegistry(crm));
        using var client = factory.CreateClient();

        using var submitted = await client.PostAsJsonAsync("/api/requests", Submission());
        using var repeated = await client.PostAsJsonAsync("/api/requests", Submission());
        await factory.Services.GetRequiredService<ISubmissionInbox>().AllTakenInAsync(factory.Services.GetRequiredService<DataRights.Host.Requests.SubmissionQueue>().CountAsync);
        var request = (await factory.Services.GetRequiredService<IRequestStore>().FindAwaitingVerificationAsync(Email, CancellationToken.None))!;
        var id = request.Id;

        // The public answer is the same for the request and its repeat; the reference and status link go by email.
        Assert.Equal(HttpStatusCode.Accepted, submitted.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, repeated.StatusCode);
        Assert.Equal(await submitted.Content.ReadAsStringAsync(), await repeated.Content.ReadAsStringAsync());
        Assert.Equal("DR-2026-000001", request.Reference);
        var statusPath = "/api/status/" + factory.Services.GetRequiredService<DataRights.Host.Requests.StatusLinks>().CreateToken(id);
        Assert.Equal("DR-2026-000001", (await client.GetFromJsonAsync<JsonElement>(statusPath)).GetProperty("reference").GetString());

        await factory.DrainAsync();
        Assert.Contains(factory.Outbox, m => m.To == Email && m.Links.Any(l => l.Contains("/verify/", StringComparison.Ordinal)));
        await StaffPostAsync(client, $"/api/admin/requests/{id}/verify", new { note = "Seen in person" });
        await factory.DrainAsync();
        Assert.Equal("awaiting_approval", await StatusAsync(client, id));
        await StaffPostAsync(client, $"/api/admin/requests/{id}/approve", new { note = "ok" });
        await factory.DrainAsync();

        Assert.Equal("completed", await StatusAsync(client, id));
        Assert.Equal(1, crm.ExecuteCalls);
        Assert.Equal(0, crm.RecordsOf(Email));
        using var audit = Staff(HttpMethod.Get, $"/api/admin/requests/{id}/audit");
        var trail = await JsonAsync(await client.SendAsync(audit));
        Assert.True(trail.GetProperty("chainValid").GetBoolean());
        var stored = (await factory.Services.GetRequiredService<IRequestStore>().GetAsync(id, CancellationToken.None))!;
        Assert.Empty(stored.Progress.Owed);
        Assert.Empty(stored.Progress.Alerts);
        Assert.True(stored.Progress.WorkDone.Count >= 5, $"only {stored.Progress.WorkDone.Count} pieces of work carried out");
        Assert.NotEmpty(await factory.Services.GetRequiredService<ISourceRegistrationStore>().ListAsync(CancellationToken.None));
    }

    [Fact]
    public async Task OnAzureTables_EveryInstanceReadsWhatAnotherProtected_AndTheKeyRingIsSealedAtRest()
    {
        var settings = AzureSettings();
        using var first = new HostFactory(settings);
        using var firstClient = first.CreateClient();
        using var second = new HostFactory(settings);
        using var secondClient = second.CreateClient();

        // A form served by one instance and posted to another: its anti-forgery token and cookie must open there.
        var protectedText = first.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("test").Protect("kim.lee@example.com");
        var opened = second.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("test").Unprotect(protectedText);

        Assert.Equal("kim.lee@example.com", opened);
        Assert.False(Directory.Exists(Path.Combine(first.DataDirectory, "keys", "data-protection")), "the key ring was written to the instance's data folder");
        var tables = new AzureTableStore(azurite.NewConnection() with { TablePrefix = settings["DataRights:Storage:TablePrefix"]! });
        var ring = await tables.ReadKeyRingAsync(CancellationToken.None);
        Assert.NotEmpty(ring);
        Assert.All(ring, sealedKey => Assert.DoesNotContain("masterKey", sealedKey, StringComparison.OrdinalIgnoreCase));
    }

    [Theory]
    [InlineData("DataRights:Storage:TableEndpoint", null, "DataRights:Storage:TableEndpoint must be")]
    [InlineData("DataRights:Storage:TableEndpoint", "http://storage.example.com/devstoreaccount1", "must use https")]
    [InlineData("DataRights:Storage:AccountKey", null, "needs AccountKey (Shared Key) or UseManagedIdentity")]
    [InlineData("DataRights:Storage:AccountKey", "not*base64", "DataRights:Storage:AccountKey must be")]
    [InlineData("DataRights:Storage:UseManagedIdentity", "true", "not both")]
    [InlineData("DataRights:Storage:ManagedIdentityClientId", "someone", "ManagedIdentityClientId must be")]
    [InlineData("DataRights:Storage:TablePrefix", "1-bad", "TablePrefix must start with a letter")]
    [InlineData("DataRights:Storage:Provider", "sqlite", "DataRights:Storage:Provider can only be 'azure-tables' (not 'sqlite')")]
    [InlineData("DataRights:Storage:Provider", "cosmos", "DataRights:Storage:Provider can only be 'azure-tables'")]
    [InlineData("DataRights:ExportKey", null, "must share its keys too, so set DataRights:ExportKey (")]
    [InlineData("DataRights:MaskKey", null, "must share its keys too, so set DataRights:MaskKey (")]
    [InlineData("DataRights:Verification:HashKey", null, "must share its keys too, so set DataRights:Verification:HashKey (")]
    [InlineData("DataRights:StatusLinkKey", null, "so set DataRights:StatusLinkKey (")]
    [InlineData("DataRights:LinkKeys:t1", null, "so set DataRights:LinkKeys (")]
    [InlineData("DataRights:Storage:BlobEndpoint", null, "DataRights:Storage:BlobEndpoint must be the Blob service address")]
    [InlineData("DataRights:Storage:BlobEndpoint", "blob.example.com", "DataRights:Storage:BlobEndpoint must be the Blob service address")]
    [InlineData("DataRights:Storage:BlobEndpoint", "http://storage.example.com/devstoreaccount1", "DataRights:Storage:BlobEndpoint must use https")]
    [InlineData("DataRights:Storage:ExportContainer", "Exports_2", "DataRights:Storage:ExportContainer must be a Blob container name")]
    [InlineData("DataRights:Storage:ExportContainer", "", "DataRights:Storage:ExportContainer must be a Blob container name")]
    public void InvalidStorageSettings_AreRefusedAtStart_NamingTheSetting(string key, string? value, string expected)
    {
        // The registration Program.cs uses; ValidateOnStart runs these validators before the server starts.
        // (Through WebApplicationFactory a failed start races with the factory's own disposal: see HostingTests.)
        var settings = AzureSettings();
        settings[key] = value;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        using var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddDataRightsStorage(configuration).BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<StorageOptions>>().Value);

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OnAzureTables_WithSendGrid_EveryInstanceKnowsWhatAnotherSentOrIsSending_AndNoLogFileIsMade()
    {
        var settings = AzureSettings();
        settings["DataRights:Email:Provider"] = "sendgrid";
        settings["DataRights:SendGrid:ApiKey"] = "SG.test-key";
        settings["DataRights:SendGrid:FromEmail"] = "privacy@example.com";
        using var first = new HostFactory(settings, new InMemorySourceRegistry());
        using var second = new HostFactory(settings, new InMemorySourceRegistry());
        using var firstClient = first.CreateClient();
        using var secondClient = second.CreateClient();
        var sentByFirst = first.Services.GetRequiredService<ISentMessageLog>();
        var seenBySecond = second.Services.GetRequiredService<ISentMessageLog>();

        var now = new DateTimeOffset(2026, 12, 6, 9, 0, 0, TimeSpan.Zero);
        var verify = await sentByFirst.ClaimAsync("dr_1:msg:verify:1", now, TimeSpan.FromMinutes(2));
        await sentByFirst.RecordAsync(verify, "sg-first");
        await sentByFirst.RecordAsync(verify, "sg-again");
        await sentByFirst.RecordAsync(await sentByFirst.ClaimAsync("dr_1:msg:approval:1", now, TimeSpan.FromMinutes(2)), null);
        _ = await sentByFirst.ClaimAsync("dr_1:msg:completion:1", now, TimeSpan.FromMinutes(2));

        Assert.Equal("sg-first", await seenBySecond.FindAsync("dr_1:msg:verify:1"));
        Assert.Equal(new SendClaim("dr_1:msg:verify:1", SendClaimStatus.Sent, ProviderId: "sg-first"), await seenBySecond.ClaimAsync("dr_1:msg:verify:1", now, TimeSpan.FromMinutes(2)));
        Assert.Equal(SendClaimStatus.Held, (await seenBySecond.ClaimAsync("dr_1:msg:completion:1", now, TimeSpan.FromMinutes(2))).Status);
        Assert.Equal(string.Empty, await seenBySecond.FindAsync("dr_1:msg:approval:1"));
        Assert.Null(await seenBySecond.FindAsync("dr_1:msg:completion:1"));
        Assert.False(File.Exists(Path.Combine(first.DataDirectory, "sent-messages.db")), "the sent-message log was written to the instance's data folder");
    }

    [Theory]
    [InlineData("Development", true)]
    [InlineData("Production", false)]
    [InlineData("Staging", false)]
    public void SharedKeys_AreRequiredOnTableStorage_ExceptForTheOneLocalInstanceInDevelopment(string environment, bool starts)
    {
        var settings = AzureSettings();
        foreach (var key in settings.Keys.Where(k => k.StartsWith("DataRights:LinkKeys", StringComparison.Ordinal) || k is "DataRights:StatusLinkKey" or "DataRights:ExportKey" or "DataRights:MaskKey" or "DataRights:Verification:HashKey").ToList())
        {
            settings[key] = null;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        using var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddSingleton<IHostEnvironment>(new HostingEnvironment { EnvironmentName = environment })
            .AddDataRightsStorage(configuration)
            .BuildServiceProvider();

        var error = Record.Exception(() => services.GetRequiredService<IOptions<StorageOptions>>().Value);

        if (starts)
        {
            Assert.Null(error);
        }
        else
        {
            Assert.Contains("so it must share its keys too", Assert.IsType<OptionsValidationException>(error).Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void ManagedIdentitySettings_OverHttps_AreValid_AndUseATokenCredential()
    {
        var settings = AzureSettings();
        settings["DataRights:Storage:TableEndpoint"] = "https://contoso.table.core.windows.net";
        settings["DataRights:Storage:BlobEndpoint"] = "https://contoso.blob.core.windows.net";
        settings["DataRights:Storage:AccountKey"] = null;
        settings["DataRights:Storage:UseManagedIdentity"] = "true";
        settings["DataRights:Storage:ManagedIdentityClientId"] = "6f1a3c52-0d7e-4c8b-9a51-2f0c1d3e4b5a";
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        using var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddLogging().AddDataRightsStorage(configuration).BuildServiceProvider();

        var tables = services.GetRequiredService<TableServiceClient>();

        Assert.Equal("contoso", tables.AccountName);
        Assert.Equal(new Uri("https://contoso.blob.core.windows.net/"), services.GetRequiredService<BlobServiceClient>().Uri);
        Assert.Equal(settings["DataRights:Storage:TablePrefix"], services.GetRequiredService<IOptions<StorageOptions>>().Value.TablePrefix);
        Assert.True(services.GetRequiredService<StorageAccount>().UsesIdentity);
    }

    [Fact]
    public void WithoutAStorageAccount_TheStartIsRefused_NamingTheConnectionSetting()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>()).Build();
        using var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddDataRightsStorage(configuration).BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<StorageOptions>>().Value);

        Assert.Contains("AzureWebJobsStorage", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OnTheStorageAccount_EveryStoreIsATableStore_AndNoFileIsMade()
    {
        using var factory = new HostFactory(AzureSettings());
        using var client = factory.CreateClient();

        Assert.IsType<AzureTableRequestStore>(factory.Services.GetRequiredService<IRequestStore>());
        Assert.IsType<AzureTableSourceRegistrationStore>(factory.Services.GetRequiredService<ISourceRegistrationStore>());
        Assert.IsType<AzureTableLegalHoldStore>(factory.Services.GetRequiredService<ILegalHoldStore>());
        Assert.IsType<AzureTableJobRunStore>(factory.Services.GetRequiredService<IJobRunStore>());
        Assert.IsType<AzureTablePurgeStore>(factory.Services.GetRequiredService<IPurgeStore>());
        Assert.IsType<AzureTableFollowUpErasureStore>(factory.Services.GetRequiredService<IFollowUpErasureStore>());
        Assert.IsType<AzureTableRetentionPolicyStore>(factory.Services.GetRequiredService<IRetentionPolicyStore>());
        Assert.IsType<DataRights.Storage.AzureTables.Blobs.AzureBlobExportStore>(factory.Services.GetRequiredService<IExportStore>());
        Assert.DoesNotContain(Directory.GetFiles(factory.DataDirectory, "*.db", SearchOption.AllDirectories), f => !f.Contains(Path.DirectorySeparatorChar + "sources" + Path.DirectorySeparatorChar, StringComparison.Ordinal));
    }

    private Dictionary<string, string?> AzureSettings() => azurite.HostSettingsWithQueue();

    private static object Submission() => new { type = "erasure", email = Email, fullName = "Kim Lee", jurisdiction = "UK" };

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();

    private static HttpRequestMessage Staff(HttpMethod method, string path)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Add("X-DataRights-Dev-User", "Priya Officer");
        return request;
    }

    private static async Task StaffPostAsync(HttpClient client, string path, object body)
    {
        using var request = Staff(HttpMethod.Post, path);
        request.Content = JsonContent.Create(body);
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static async Task<string> StatusAsync(HttpClient client, string id)
    {
        using var request = Staff(HttpMethod.Get, $"/api/admin/requests/{id}");
        using var response = await client.SendAsync(request);
        return (await JsonAsync(response)).GetProperty("status").GetString()!;
    }

}
