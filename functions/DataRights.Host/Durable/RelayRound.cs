namespace DataRights.Host.Durable;

/// <summary>One relay round: items handed over, and whether some wait for an orchestration that is still starting (try again shortly).</summary>
public sealed record RelayRound(int HandedOver, bool Waiting);
