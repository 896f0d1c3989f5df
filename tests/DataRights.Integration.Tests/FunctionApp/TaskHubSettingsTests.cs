using DataRights.Functions.Durable;
using DataRights.Host.Durable;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace DataRights.Integration.Tests.FunctionApp;

/// <summary>The Function App takes the task hub's visibility timeout from host.json, which the Durable extension reads, not from the local task hub's setting.</summary>
public sealed class TaskHubSettingsTests
{
    [Fact]
    public async Task FunctionApp_WaitsForAPendingStartByHostJsonsVisibilityTimeout()
    {
        await using var functionApp = await FunctionAppServer.StartAsync();

        var options = functionApp.Services.GetRequiredService<IOptions<DurableOptions>>().Value;

        Assert.Equal(TimeSpan.FromMinutes(2), TaskHubSettings.VisibilityTimeout(Path.Combine(AppContext.BaseDirectory, "host.json")));
        Assert.Equal(TimeSpan.FromMinutes(2), options.VisibilityTimeout);
        Assert.NotEqual(new DurableOptions().VisibilityTimeout, options.VisibilityTimeout);
    }

    [Theory]
    [InlineData("""{ "extensions": { "durableTask": { "storageProvider": { "controlQueueVisibilityTimeout": "00:01:00", "workItemQueueVisibilityTimeout": "00:03:00" } } } }""", 3)]
    [InlineData("""{ "extensions": { "durableTask": { "storageProvider": { "controlQueueVisibilityTimeout": "00:04:00" } } } }""", 5)]
    [InlineData("""{ "version": "2.0" }""", 5)]
    public void VisibilityTimeout_IsTheLongerQueuesOrTheProvidersDefault(string hostJson, int minutes)
    {
        var folder = Directory.CreateTempSubdirectory("datarights-hostjson-").FullName;
        try
        {
            var path = Path.Combine(folder, "host.json");
            File.WriteAllText(path, hostJson);

            Assert.Equal(TimeSpan.FromMinutes(minutes), TaskHubSettings.VisibilityTimeout(path));
            Assert.Equal(TaskHubSettings.DefaultVisibilityTimeout, TaskHubSettings.VisibilityTimeout(Path.Combine(folder, "absent.json")));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
