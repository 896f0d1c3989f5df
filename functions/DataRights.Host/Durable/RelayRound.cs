namespace DataRights.Host.Durable;

/// <summary>One relay round: announcements made, and whether some wait for an orchestration that is still starting (try again shortly).</summary>
public sealed record RelayRound(int HandedOver, bool Waiting);
