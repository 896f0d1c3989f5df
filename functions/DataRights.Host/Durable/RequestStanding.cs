using DataRights.Core.Ports;
using DataRights.Core.Requests;
using DataRights.Core.Workflow;
using DataRights.Host.Workflow;

namespace DataRights.Host.Durable;

/// <summary>
/// Where a request stands after a step: its status (for the orchestration's custom status), its work still open (the
/// orchestration takes on what it does not have in hand: what the step committed, or what a crash kept from it), and
/// whether nothing is left to do.
/// </summary>
public sealed class RequestStanding(IRequestStore store, TimeProvider time)
{
    public async Task<WorkOutcome> AfterAsync(string requestId, WorkResult result, CancellationToken cancellationToken) =>
        // The request and its open work in one read of its partition.
        Of(await store.GetWithOpenWorkAsync(requestId, cancellationToken), result);

    /// <summary>Where the request stands, as <see cref="AfterAsync"/> says, from its standing read already.</summary>
    public WorkOutcome Of(RequestWithOpenWork? standing, WorkResult result) => Of(standing, result, settledWhen: _ => true);

    /// <summary>
    /// Where the request stands after <paramref name="item"/>'s step ran and was marked done: on its first run, from what
    /// its decisions committed (<see cref="OrchestrationStep.Record"/>: the request's status, its stage and the work,
    /// which the orchestration takes on), without reading the request again; it does not say the request is settled
    /// (when nothing is left in hand, the orchestration looks at the request, <see cref="CheckRequestActivity"/>, or, once
    /// the request is closed, ends its run, <see cref="EndRunActivity"/>, which reads it the same way). That holds for a
    /// commit that closed the request too: its run's end is the one read. A run after an earlier one (which may have
    /// committed work and died before handing it back), or one whose commit failed without a clear answer
    /// (<see cref="OrchestrationStep.Uncertain"/>), reads the request and its open work as <see cref="AfterAsync"/> does.
    /// </summary>
    public Task<WorkOutcome> AfterStepAsync(OrchestrationStep step, WorkAttempt item, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        return AfterStepAsync(step, firstRun: item.Attempt == 1, cancellationToken);
    }

    /// <summary>
    /// Where the request stands after a step whose decisions <paramref name="step"/> recorded, as
    /// <see cref="AfterStepAsync(OrchestrationStep, WorkAttempt, CancellationToken)"/> says; a step that committed nothing
    /// (its decision was ignored: a repeated run) reads the request.
    /// </summary>
    public async Task<WorkOutcome> AfterStepAsync(OrchestrationStep step, bool firstRun, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(step);
        var committed = step.Committed;
        if (!firstRun || step.Uncertain)
        {
            return await AfterAsync(step.RequestId, WorkResult.Done, cancellationToken);
        }

        return new WorkOutcome(
            WorkResult.Done,
            committed is null ? null : Kebab.Of(committed.Status),
            Settled: false,
            [.. step.Work.DistinctBy(work => work.Id, StringComparer.Ordinal).Select(work => new DeliveredWork(work.Id, work.Kind, work.NotBefore))],
            At: time.GetUtcNow(),
            Stage: committed is null ? null : RequestStage.Of(committed));
    }

    /// <summary>
    /// Ends the request's run if it is closed with nothing left to do (see <see cref="IRequestStore.EndRunAsync"/>):
    /// settled only when it ended; otherwise where the request stands, with the work committed since.
    /// </summary>
    public async Task<WorkOutcome> EndAsync(string requestId, CancellationToken cancellationToken) =>
        Of(await store.EndRunAsync(requestId, cancellationToken), WorkResult.Done, settledWhen: request => request.RunEnded);

    private WorkOutcome Of(RequestWithOpenWork? standing, WorkResult result, Func<DataSubjectRequest, bool> settledWhen)
    {
        if (standing is null)
        {
            return new WorkOutcome(result, null, Settled: true, At: time.GetUtcNow());
        }

        return new WorkOutcome(
            result,
            Kebab.Of(standing.Request.Status),
            Settled: standing.OpenWork.Count == 0 && RequestLifecycle.IsFinal(standing.Request.Status) && TimerWork.Waiting(standing.Request).Count == 0
                && settledWhen(standing.Request),
            [.. standing.OpenWork.Select(item => new DeliveredWork(item.Id, item.Kind, item.NotBefore))],
            At: time.GetUtcNow(),
            Stage: RequestStage.Of(standing.Request));
    }
}
