namespace DataRights.Core.Workflow;

/// <summary>
/// Which timers still matter once their request is closed. Every timer the decider sets is a work item
/// (<c>{request}:timer:{kind}:{tag}</c>); once the request is closed, the decider ignores all of them but a restriction's
/// lift, so the request's orchestration drops the others at the close instead of waiting weeks for them to change
/// nothing (a deadline's overdue timer, a verification reminder).
/// </summary>
public static class TimerWork
{
    private static readonly Dictionary<string, TimerKind> ByKebab =
        Enum.GetValues<TimerKind>().ToDictionary(k => Kebab.Of(k), StringComparer.Ordinal);

    private const string Marker = ":timer:";

    /// <summary>The kind of timer <paramref name="workItemId"/> is; null when it is not a timer's work item.</summary>
    public static TimerKind? KindOf(string workItemId)
    {
        ArgumentNullException.ThrowIfNull(workItemId);
        var at = workItemId.IndexOf(Marker, StringComparison.Ordinal);
        if (at < 0)
        {
            return null;
        }

        var rest = workItemId[(at + Marker.Length)..];
        var end = rest.IndexOf(':', StringComparison.Ordinal);
        return ByKebab.TryGetValue(end < 0 ? rest : rest[..end], out var kind) ? kind : null;
    }

    /// <summary>Whether a timer of <paramref name="kind"/> can still do anything once its request is closed: only a restriction's lift can.</summary>
    public static bool OutlivesTheClose(TimerKind kind) => kind == TimerKind.RestrictionLift;

    /// <summary>Whether <paramref name="workItemId"/> is a timer that can do nothing once its request is closed.</summary>
    public static bool EndsWithTheRequest(string workItemId) => KindOf(workItemId) is { } kind && !OutlivesTheClose(kind);
}
