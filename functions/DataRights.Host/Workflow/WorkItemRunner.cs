using DataRights.Core.Ports;
using DataRights.Core.Workflow;

namespace DataRights.Host.Workflow;

/// <summary>
/// What a request orchestration's steps do with the work the request owes (<see cref="RequestProgress.Owed"/>; run by
/// <see cref="Durable.RunWorkItemActivity"/> and <see cref="Durable.GiveUpWorkItemActivity"/>): run its handler, record
/// it carried out, or give up on it (the request told, staff alerted); and the retry rules (backoff with jitter,
/// failures that will not change).
/// </summary>
public sealed class WorkItemRunner(
    IEnumerable<IWorkHandler> handlers,
    WorkflowEngine engine,
    ILogger<WorkItemRunner> logger)
{
    private readonly Dictionary<string, IWorkHandler> _handlers = handlers.ToDictionary(h => h.Kind, StringComparer.Ordinal);

    /// <summary>Runs the item's handler only; throws when the handler fails.</summary>
    public Task HandleAsync(WorkAttempt item, bool isLastAttempt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        return _handlers.TryGetValue(item.Item.Kind, out var handler)
            ? handler.HandleAsync(item, isLastAttempt, cancellationToken)
            : throw new InvalidOperationException($"No handler for work of kind '{item.Item.Kind}'.");
    }

    /// <summary>Records on the request that the item was carried out: the request owes it no more (a repeat changes nothing).</summary>
    public async Task CompleteAsync(WorkAttempt item, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        await engine.ApplyAsync(item.Item.RequestId, new WorkCarriedOut("system:work", item.Item.Id), cancellationToken);
        logger.WorkDone(item.Item.Id, item.Item.Kind, item.Attempt);
    }

    /// <summary>Gives up on the item: its request records the failure, owes the item no more, and alerts staff.</summary>
    public async Task GiveUpAsync(WorkAttempt item, string error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(error);
        logger.WorkDeadLettered(item.Item.Id, item.Item.Kind, item.Attempt, ErrorType(error));
        await RecordGivenUpAsync(item, error, cancellationToken);
    }

    /// <summary>
    /// Tells the request that <paramref name="item"/> was given up with <paramref name="error"/>: the failure recorded
    /// (<see cref="ForTheRecord"/>), staff alerted. The decider ignores a second telling.
    /// </summary>
    public Task RecordGivenUpAsync(WorkAttempt item, string error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(error);
        return engine.ApplyAsync(item.Item.RequestId, new WorkDeadLettered("system:work-queue", item.Item.Id, item.Item.Kind, ForTheRecord(error, item.Attempt)), cancellationToken);
    }

    /// <summary>
    /// What the request's record (its audit trail, which cannot be erased, and the staff alert) keeps of an error that
    /// <see cref="Describe"/> made: the exception's type and the attempts, never its message, which may quote a person's
    /// data (a connector's "duplicate key (jane@...)"); only the email sender's refusals keep their message, which it
    /// writes itself with the recipient taken out. An error that is not an exception's (no type) is kept as it is.
    /// </summary>
    public static string ForTheRecord(string error, int attempts)
    {
        ArgumentNullException.ThrowIfNull(error);
        var type = ErrorType(error);
        return type.Length == 0 || type is nameof(DataRights.Email.SendGrid.PermanentEmailException) or nameof(DataRights.Email.SendGrid.TransientEmailException)
            ? error
            : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{type} (after {attempts} {(attempts == 1 ? "attempt" : "attempts")})");
    }

    // The exception type at the head of what Describe made ("Type: message"); empty when there is none.
    private static string ErrorType(string error)
    {
        var colon = error.IndexOf(':', StringComparison.Ordinal);
        return colon > 0 && error[..colon].EndsWith("Exception", StringComparison.Ordinal) && !error[..colon].Contains(' ', StringComparison.Ordinal) ? error[..colon] : string.Empty;
    }

    /// <summary>A failure that will not change on retry (SendGrid 400/401/403): the item goes to the dead letter at once.</summary>
    public static bool IsPermanent(Exception ex) => ex is DataRights.Email.SendGrid.PermanentEmailException;

    /// <summary>What a failure is recorded as: its type and the first line of its message, capped.</summary>
    public static string Describe(Exception ex)
    {
        ArgumentNullException.ThrowIfNull(ex);
        return ex.GetType().Name + ": " + Sanitize(ex.Message);
    }

    /// <summary>Exponential backoff with ±20% jitter, capped.</summary>
    public static TimeSpan Backoff(int attempt, WorkflowOptions o)
    {
        ArgumentNullException.ThrowIfNull(o);
        var exponential = o.RetryBaseDelay.TotalMilliseconds * Math.Pow(2, Math.Max(0, attempt - 1));
        var capped = Math.Min(exponential, o.RetryMaxDelay.TotalMilliseconds);
#pragma warning disable CA5394 // Jitter only spreads retries; it needs no cryptographic randomness.
        var jitter = 0.8 + (Random.Shared.NextDouble() * 0.4);
#pragma warning restore CA5394
        return TimeSpan.FromMilliseconds(capped * jitter);
    }

    // Exception text from connectors may quote what they were given; keep the first line and cap it.
    private static string Sanitize(string message)
    {
        var line = message.Split('\n')[0].Trim();
        return line.Length > 300 ? line[..300] : line;
    }
}
