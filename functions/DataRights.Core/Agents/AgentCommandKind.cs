namespace DataRights.Core.Agents;

/// <summary>What an <see cref="AgentCommand"/> asks of the agent.</summary>
public static class AgentCommandKind
{
    public const string Discover = "discover";
    public const string Erase = "erase";
    public const string Export = "export";
    public const string Purge = "purge";

    public static readonly IReadOnlyList<string> All = [Discover, Erase, Export, Purge];
}
