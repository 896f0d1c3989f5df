using System.Text.RegularExpressions;
using System.Xml;

namespace DataRights.Core.Sources.Registry;

/// <summary>The rules for <c>agent</c> sources: systems inside a firm's network, reached through an on-premises agent's queue.</summary>
public static partial class SourceRegistrationValidator
{
    /// <summary>The connector type of a source reached through an on-premises agent.</summary>
    public const string AgentType = "agent";

    /// <summary>How long an agent has to answer a command when its registration does not say.</summary>
    public static readonly TimeSpan DefaultAgentTimeout = TimeSpan.FromHours(1);

    /// <summary>The longest an agent may be given: the pipeline's own limit for any awaited answer.</summary>
    public static readonly TimeSpan MaxAgentTimeout = TimeSpan.FromDays(7);

    /// <summary>The Service Bus queue an agent receives its commands from: <c>agent-</c> and its name.</summary>
    public static string AgentQueue(string agentName) => "agent-" + agentName;

    /// <summary>An agent source's time limit for each command (<c>connection.timeout</c>, ISO 8601), or the default.</summary>
    public static TimeSpan AgentTimeout(SourceRegistration r) =>
        TryParseDuration(r.Connection.GetValueOrDefault("timeout"), out var timeout) ? timeout : DefaultAgentTimeout;

    private static void ValidateAgent(SourceRegistration r, Action<string, string> add)
    {
        if (!AgentNamePattern().IsMatch(r.Connection.GetValueOrDefault("agent") ?? string.Empty))
        {
            add("connection.agent", "Give the agent's name: 1 to 40 lower-case letters, digits or hyphens, as in the infrastructure's list of agents (its queue is agent-<name>).");
        }

        if (!r.SecretSettings.Contains("secret") || !r.Connection.ContainsKey("secret"))
        {
            add("connection.secret", "An agent source needs the secret it shares with the agent, as a reference (env:NAME), listed in secretSettings.");
        }

        if (r.Connection.TryGetValue("timeout", out var text)
            && (!TryParseDuration(text, out var timeout) || timeout < TimeSpan.FromMinutes(1) || timeout > MaxAgentTimeout))
        {
            add("connection.timeout", "Give how long the agent has to answer each command as an ISO 8601 duration from PT1M to P7D, such as PT1H, or leave it out (1 hour).");
        }

        for (var i = 0; i < r.Categories.Count; i++)
        {
            if (r.Categories[i].Queries.Count > 0)
            {
                add($"categories[{i}].queries", "An agent source's statements belong in the agent's own registration of this source, not here.");
            }
        }
    }

    private static bool TryParseDuration(string? text, out TimeSpan duration)
    {
        duration = default;
        if (string.IsNullOrWhiteSpace(text) || !text.StartsWith('P'))
        {
            return false;
        }

        try
        {
            duration = XmlConvert.ToTimeSpan(text);
            return duration > TimeSpan.Zero;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,39}$")]
    private static partial Regex AgentNamePattern();
}
