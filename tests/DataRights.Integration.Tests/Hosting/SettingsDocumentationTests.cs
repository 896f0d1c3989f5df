using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using DataRights.Storage.AzureTables;
using DataRights.Host.Hosting;

namespace DataRights.Integration.Tests.Hosting;

/// <summary>local.settings.sample.json must list, and explain, every setting the program reads.</summary>
public sealed class SettingsDocumentationTests
{
    [Fact]
    public void SampleSettings_ListAndExplainEveryOption()
    {
        var sample = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryRoot(), "local.settings.sample.json"))).RootElement;
        var values = sample.GetProperty("Values").EnumerateObject().Select(p => p.Name).ToHashSet();
        var explained = sample.GetProperty("Explanations").EnumerateObject().Select(p => p.Name).ToHashSet();

        var expected = Leaves(typeof(DataRightsOptions), "DataRights")
            .Concat(Leaves(typeof(DataRights.Host.Workflow.WorkflowOptions), "DataRights__Workflow"))
            .Concat(Leaves(typeof(DataRights.Host.Staff.EntraOptions), "DataRights__Entra"))
            .Concat(Leaves(typeof(DataRights.Host.Links.LinksOptions), "DataRights__Links"))
            .Concat(Leaves(typeof(DataRights.Host.Verification.VerificationOptions), "DataRights__Verification"))
            .Concat(Leaves(typeof(DataRights.Host.Durable.DurableOptions), "DataRights__Durable"))
            .Concat(Leaves(typeof(DataRights.Host.Storage.StorageOptions), "DataRights__Storage"))
            .Concat(Leaves(typeof(DataRights.Host.Retention.RetentionOptions), "DataRights__Retention"))
            .Concat(Leaves(typeof(DataRights.Host.Sources.SourcesOptions), "DataRights__Sources"))
            .Concat(Leaves(typeof(DataRights.Host.Http.ForwardedHeadersSettingsOptions), "DataRights__ForwardedHeaders"))
            .Concat(Leaves(typeof(DataRights.Host.Events.EventsOptions), "DataRights__Events"))
            .Concat(Leaves(typeof(DataRights.Events.ServiceBus.ServiceBusEventsOptions), "DataRights__Events__ServiceBus"))
            .Concat(Leaves(typeof(DataRights.Events.ServiceBus.ServiceBusAgentsOptions), "DataRights__Agents__ServiceBus"))
            .ToList();

        Assert.NotEmpty(expected);
        Assert.All(expected, key => Assert.True(
            key.EndsWith("__*", StringComparison.Ordinal) ? values.Any(v => v.StartsWith(key[..^1], StringComparison.Ordinal)) : values.Contains(key),
            $"{key} is not in local.settings.sample.json"));
        Assert.Contains("FUNCTIONS_WORKER_RUNTIME", values);
        Assert.Equal(values.OrderBy(v => v), explained.OrderBy(v => v));
    }

    [Fact]
    public void EmailAndSignInReference_NamesEverySendGridAndEntraSetting()
    {
        var text = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "email-and-sign-in.md"));
        var settings = Leaves(typeof(DataRights.Email.SendGrid.SendGridOptions), "DataRights:SendGrid")
            .Concat(Leaves(typeof(DataRights.Host.Staff.EntraOptions), "DataRights:Entra"))
            .Select(key => key.Replace("__", ":", StringComparison.Ordinal));

        Assert.All(settings, key => Assert.Contains("`" + key + "`", text, StringComparison.Ordinal));
    }

    [Fact]
    public void AgentReference_NamesEveryAgentSetting()
    {
        var text = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "agent.md"));
        var settings = Leaves(typeof(DataRights.Agent.AgentOptions), "DataRights:Agent")
            .Concat(Leaves(typeof(DataRights.Agent.AgentServiceBusOptions), "DataRights:Agent:ServiceBus"))
            .Concat(Leaves(typeof(DataRights.Agent.AgentSourcesOptions), "DataRights:Sources"))
            .Where(key => !key.EndsWith("__ServiceBus", StringComparison.Ordinal))
            .Select(key => key.Replace("__*", string.Empty, StringComparison.Ordinal).Replace("__", ":", StringComparison.Ordinal));

        Assert.All(settings, key => Assert.Contains("`" + key + "`", text, StringComparison.Ordinal));
    }

    [Fact]
    public void TablePrefixNote_AndTheAzureGuide_NameTheTablesTheStoreCreates()
    {
        var store = new AzureTableStore(AzureTableConnection.ForAzurite(10002, "DataRights"));
        var tables = store.Tables.Select(t => t["DataRights".Length..]).Order(StringComparer.Ordinal).ToList();
        var note = Explanation("DataRights__Storage__TablePrefix");
        var guide = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "azure.md"));
        var guideList = Regex.Match(guide, @"(?<count>\w+) tables, (?<names>(`[^`]+`,?\s*)+)are created");

        var noted = Regex.Match(note, @"\(<prefix>(?<names>[^)]+)\)").Groups["names"].Value.Split(", ");
        Assert.Equal(tables, noted.Order(StringComparer.Ordinal));
        Assert.Contains($"the {NumberWord(tables.Count)} table names", note, StringComparison.Ordinal);
        Assert.True(guideList.Success, "docs/azure.md does not list the tables");
        Assert.Equal(tables, Regex.Matches(guideList.Groups["names"].Value, "`(?:<TablePrefix>)?(?<name>[^`]+)`").Select(m => m.Groups["name"].Value).Order(StringComparer.Ordinal));
        Assert.Equal(NumberWord(tables.Count), guideList.Groups["count"].Value, ignoreCase: true);
    }

    [Fact]
    public void VisibilityTimeoutNote_GivesTheFunctionAppsValueFromHostJson()
    {
        // Locally DataRights:Durable:VisibilityTimeout applies; on Azure host.json's storage provider settings do.
        var provider = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryRoot(), "functions", "DataRights.Functions", "host.json"))).RootElement
            .GetProperty("extensions").GetProperty("durableTask").GetProperty("storageProvider");
        var workItems = TimeSpan.Parse(provider.GetProperty("workItemQueueVisibilityTimeout").GetString()!, CultureInfo.InvariantCulture);
        var control = TimeSpan.Parse(provider.GetProperty("controlQueueVisibilityTimeout").GetString()!, CultureInfo.InvariantCulture);
        var note = Explanation("DataRights__Durable__VisibilityTimeout");

        Assert.Equal(workItems, control);
        Assert.Contains(FormattableString.Invariant($"workItemQueueVisibilityTimeout and controlQueueVisibilityTimeout, {workItems.TotalMinutes} minutes each"), note, StringComparison.Ordinal);
    }

    private static string Explanation(string setting) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryRoot(), "local.settings.sample.json"))).RootElement
            .GetProperty("Explanations").GetProperty(setting).GetString()!;

    private static string NumberWord(int n) => n switch
    {
        4 => "four",
        5 => "five",
        6 => "six",
        7 => "seven",
        _ => n.ToString(CultureInfo.InvariantCulture),
    };

    private static IEnumerable<string> Leaves(Type type, string prefix)
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite))
        {
            var key = prefix + "__" + property.Name;
            if (property.PropertyType == typeof(IntakeOptions))
            {
                foreach (var leaf in Leaves(property.PropertyType, key))
                {
                    yield return leaf;
                }
            }
            else if (typeof(System.Collections.IDictionary).IsAssignableFrom(property.PropertyType) || typeof(System.Collections.IList).IsAssignableFrom(property.PropertyType))
            {
                // Keyed or listed settings are documented by an example entry (LinkKeys__k1, Approvers__0, Retention__Policy__eu-west__0__...).
                yield return key + "__*";
            }
            else if (property.PropertyType != typeof(DeadlineOptions))
            {
                yield return key;
            }
        }
    }

    internal static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "DataRights.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("DataRights.sln not found above the test folder.");
    }
}
