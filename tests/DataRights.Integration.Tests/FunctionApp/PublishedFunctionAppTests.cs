using System.Diagnostics;
using System.Text.Json;
using DataRights.Host.Durable;

namespace DataRights.Integration.Tests.FunctionApp;

/// <summary>
/// The published Function App folder, as the Functions host reads it: functions.metadata lists every function with its
/// trigger, extensions.json registers the Durable Task extension, host.json is the isolated worker's. test.sh publishes
/// the folder and passes it in <see cref="FolderVariable"/>; without it this test publishes the built app itself.
/// </summary>
public sealed class PublishedFunctionAppTests
{
    public const string FolderVariable = "DATARIGHTS_FUNCTIONAPP_PUBLISH_DIR";

    [Fact]
    public async Task PublishedFolder_ListsEveryFunctionWithItsTrigger_AndTheDurableTaskExtension()
    {
        var (folder, ours) = await PublishedFolderAsync();
        try
        {
            await AssertPublishedAsync(folder);
        }
        finally
        {
            if (ours)
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    private static async Task AssertPublishedAsync(string folder)
    {
        using var metadata = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(folder, "functions.metadata")));
        var published = metadata.RootElement.EnumerateArray().ToDictionary(
            f => f.GetProperty("name").GetString()!,
            f => f.GetProperty("bindings").EnumerateArray().Select(b => b.GetProperty("type").GetString()).First(t => t!.EndsWith("Trigger", StringComparison.Ordinal))!);
        var declared = FunctionCatalog.Functions.ToDictionary(FunctionCatalog.NameOf, FunctionCatalog.TriggerTypeOf);

        Assert.True(declared.Count > 40, $"only {declared.Count} functions declared");
        Assert.Equal(declared.OrderBy(f => f.Key, StringComparer.Ordinal), published.OrderBy(f => f.Key, StringComparer.Ordinal));

        // Every HTTP function that may decide something (taking more than GET) binds a Durable client, so its committed
        // work is handed over at once. The activities that run a step need none: their work goes back in their result.
        var withClient = metadata.RootElement.EnumerateArray()
            .Where(f => f.GetProperty("bindings").EnumerateArray().Any(b => b.GetProperty("type").GetString() == "durableClient"))
            .Select(f => f.GetProperty("name").GetString()!).ToHashSet(StringComparer.Ordinal);
        var deciding = FunctionCatalog.Functions
            .Where(f => FunctionCatalog.HttpTriggerOf(f)?.Methods?.Any(m => !m.Equals("get", StringComparison.OrdinalIgnoreCase)) == true)
            .Select(FunctionCatalog.NameOf).ToList();
        Assert.True(deciding.Count > 20, $"only {deciding.Count} deciding functions");
        Assert.All(deciding, name => Assert.Contains(name, withClient));
        Assert.All(JourneySteps.StepActivities, step => Assert.DoesNotContain(step, withClient));
        Assert.DoesNotContain(GiveUpWorkItemActivity.Name, withClient);

        var extensions = new[] { Path.Combine(folder, "extensions.json"), Path.Combine(folder, ".azurefunctions", "extensions.json"), Path.Combine(folder, "bin", "extensions.json") }
            .Where(File.Exists).Select(File.ReadAllText).ToList();
        Assert.NotEmpty(extensions);
        Assert.Contains(extensions, text => JsonDocument.Parse(text).RootElement.GetProperty("extensions").EnumerateArray()
            .Any(e => e.GetProperty("name").GetString() == "DurableTask"));
        Assert.Contains(extensions, text => JsonDocument.Parse(text).RootElement.GetProperty("extensions").EnumerateArray()
            .Any(e => e.GetProperty("name").GetString() == "AzureStorageQueues"));

        // The queue trigger reads the submission queue the setting names, and binds a Durable client to start the taking in.
        var keep = metadata.RootElement.EnumerateArray().Single(f => f.GetProperty("name").GetString() == DataRights.Functions.Durable.SubmissionFunctions.KeepName);
        var queueTrigger = keep.GetProperty("bindings").EnumerateArray().Single(b => b.GetProperty("type").GetString() == "queueTrigger");
        Assert.Equal("%DataRights:Durable:SubmissionQueue%", queueTrigger.GetProperty("queueName").GetString());
        Assert.Contains(DataRights.Functions.Durable.SubmissionFunctions.KeepName, withClient);

        using var host = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(folder, "host.json")));
        Assert.False(host.RootElement.TryGetProperty("customHandler", out _));
        Assert.Equal(string.Empty, host.RootElement.GetProperty("extensions").GetProperty("http").GetProperty("routePrefix").GetString());
        var queues = host.RootElement.GetProperty("extensions").GetProperty("queues");
        Assert.Equal(DataRights.Host.Durable.SubmissionQueueListener.MaxDequeueCount, queues.GetProperty("maxDequeueCount").GetInt32());
        Assert.Equal(DataRights.Host.Durable.SubmissionQueueListener.BatchSize, queues.GetProperty("batchSize").GetInt32());
        Assert.Equal(DataRights.Host.Durable.SubmissionQueueListener.MaxPollingInterval, TimeSpan.Parse(queues.GetProperty("maxPollingInterval").GetString()!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("dotnet-isolated", JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(folder, "worker.config.json")))
            .RootElement.GetProperty("description").GetProperty("language").GetString());
    }

    /// <summary>The folder test.sh published; otherwise a fresh publish (without building again) of the built app.</summary>
    private static async Task<(string Folder, bool Ours)> PublishedFolderAsync()
    {
        if (Environment.GetEnvironmentVariable(FolderVariable) is { Length: > 0 } given)
        {
            Assert.True(File.Exists(Path.Combine(given, "functions.metadata")), $"{FolderVariable}={given} holds no published Function App (functions.metadata)");
            return (given, false);
        }

        var folder = Directory.CreateTempSubdirectory("datarights-functionapp-publish-").FullName;
        var project = Path.Combine(RepositoryRoot(), "functions", "DataRights.Functions", "DataRights.Functions.csproj");
        var start = new ProcessStartInfo("dotnet", ["publish", project, "-c", "Release", "--no-build", "-o", folder, "--nologo", "-v", "q"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var publish = Process.Start(start)!;
        var output = publish.StandardOutput.ReadToEndAsync();
        var errors = publish.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await publish.WaitForExitAsync(timeout.Token);
        Assert.True(publish.ExitCode == 0, $"dotnet publish failed: {await output}{await errors}");
        return (folder, true);
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "DataRights.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("DataRights.sln not found above the test folder.");
    }
}
