using System.ComponentModel.DataAnnotations;

namespace DataRights.Agent;

/// <summary>
/// <c>DataRights:Agent</c>: who this agent is (its queue is <c>agent-NAME</c>), where the pipeline is, and how to reach
/// the queue. Secrets never sit here: the shared secret is a reference (<c>env:NAME</c>), and a Service Bus connection
/// string comes from the environment (<c>DataRights__Agent__ServiceBus__ConnectionString</c>).
/// </summary>
public sealed class AgentOptions
{
    public const string Section = "DataRights:Agent";

    /// <summary>The agent's name, as in the infrastructure's list of agents and the pipeline's <c>connection.agent</c>.</summary>
    [Required]
    [RegularExpression("^[a-z0-9][a-z0-9-]{0,39}$")]
    public string Name { get; set; } = string.Empty;

    /// <summary>The pipeline's public address; answers go only to callback addresses under it.</summary>
    [Required]
    public Uri? PipelineUrl { get; set; }

    /// <summary>The secret shared with the pipeline's registrations of this agent's sources, as a reference: <c>env:NAME</c>.</summary>
    [Required]
    [RegularExpression("^env:[A-Za-z_][A-Za-z0-9_]{3,127}$")]
    public string Secret { get; set; } = string.Empty;

    public AgentServiceBusOptions ServiceBus { get; set; } = new();

    /// <summary>Where the agent keeps the answers it gave (so a command delivered again is answered the same) and its mask key.</summary>
    [Required]
    public string StateDirectory { get; set; } = "state";

    /// <summary>The key for keyed-hash masks, as a reference (<c>env:NAME</c>, base64, at least 32 bytes); empty: a key file made in the state folder.</summary>
    public string? MaskKey { get; set; }

    /// <summary>How many deliveries of a command that keeps failing are tried before the agent answers with the failure instead.</summary>
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 5;

    /// <summary>How long one wait on the queue lasts before the next (the receiver simply asks again).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan ReceiveWait { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Plain-HTTP callbacks for a local trial only; answers otherwise go over HTTPS.</summary>
    public bool AllowHttpCallbacks { get; set; }

    /// <summary>The queue this agent receives from.</summary>
    public string Queue => "agent-" + Name;
}
