using DataRights.Agent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace DataRights.Integration.Tests.Agents;

/// <summary>The agent's relative folders are its own, wherever the process runs (a Windows service runs in System32).</summary>
public sealed class AgentFolderTests
{
    [Fact]
    public void RelativeFolders_AreTakenFromTheProgramsFolder_NotTheWorkingFolder()
    {
        var root = Directory.CreateTempSubdirectory("datarights-agent-root-").FullName;
        try
        {
            var (agent, sources) = AsTheAgentReadsThem(root, new AgentOptions { StateDirectory = "state" }, new AgentSourcesOptions { Folder = Path.Combine("data", "sources") });

            Assert.NotEqual(Directory.GetCurrentDirectory(), root);
            Assert.Equal(Path.Combine(root, "state"), agent.StateDirectory);
            Assert.Equal(Path.Combine(root, "data", "sources"), sources.Folder);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void FullFolders_AreKeptAsGiven()
    {
        var root = Directory.CreateTempSubdirectory("datarights-agent-root-").FullName;
        var elsewhere = Path.Combine(Path.GetTempPath(), "datarights-agent-state-elsewhere");
        try
        {
            var (agent, sources) = AsTheAgentReadsThem(root, new AgentOptions { StateDirectory = elsewhere }, new AgentSourcesOptions());

            Assert.Equal(elsewhere, agent.StateDirectory);
            Assert.Null(sources.Folder);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>The settings after the agent's own post-configuration, with its program folder at <paramref name="root"/>.</summary>
    private static (AgentOptions Agent, AgentSourcesOptions Sources) AsTheAgentReadsThem(string root, AgentOptions agent, AgentSourcesOptions sources)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = root, DisableDefaults = true });
        builder.Services.AddAgent();
        using var services = builder.Services.BuildServiceProvider();
        foreach (var post in services.GetServices<IPostConfigureOptions<AgentOptions>>())
        {
            post.PostConfigure(Options.DefaultName, agent);
        }

        foreach (var post in services.GetServices<IPostConfigureOptions<AgentSourcesOptions>>())
        {
            post.PostConfigure(Options.DefaultName, sources);
        }

        return (agent, sources);
    }
}
