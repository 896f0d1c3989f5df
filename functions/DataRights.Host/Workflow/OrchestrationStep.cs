using DataRights.Core.Ports;
using DataRights.Core.Requests;

namespace DataRights.Host.Workflow;

/// <summary>
/// Marks the code running inside a step of a request's orchestration (an activity for that request), until disposed.
/// The work its decisions commit for that request is handed straight back to the orchestration in the step's result
/// instead of being announced to it; the engine records here what each of its commits wrote (the request as committed,
/// the work), so the step can hand it back without reading the request again.
/// </summary>
public sealed class OrchestrationStep : IDisposable
{
    private static readonly AsyncLocal<OrchestrationStep?> CurrentStep = new();

    private readonly OrchestrationStep? _outer;
    private readonly Lock _gate = new();
    private readonly List<WorkItem> _work = [];
    private DataSubjectRequest? _request;
    private bool _uncertain;

    private OrchestrationStep(string requestId, OrchestrationStep? outer)
    {
        RequestId = requestId;
        _outer = outer;
    }

    /// <summary>The request whose orchestration this step belongs to.</summary>
    public string RequestId { get; }

    /// <summary>The request as the last commit this step's decisions went into left it; null when they committed nothing.</summary>
    public DataSubjectRequest? Committed
    {
        get
        {
            lock (_gate)
            {
                return _request;
            }
        }
    }

    /// <summary>The work the request owes as the latest commit this step's decisions went into left it (<see cref="Core.Workflow.RequestProgress.Owed"/>).</summary>
    public IReadOnlyList<WorkItem> Work
    {
        get
        {
            lock (_gate)
            {
                return [.. _work];
            }
        }
    }

    /// <summary>
    /// Whether a commit one of this step's decisions went into failed without a clear answer (it may have landed, and its
    /// decisions, made again, then change nothing): the step's result reads the request rather than trusting what was
    /// recorded here, so the work that commit wrote is not lost.
    /// </summary>
    public bool Uncertain
    {
        get
        {
            lock (_gate)
            {
                return _uncertain;
            }
        }
    }

    /// <summary>Records that a commit one of this step's decisions went into failed without a clear answer (see <see cref="Uncertain"/>).</summary>
    public void MarkUncertain()
    {
        lock (_gate)
        {
            _uncertain = true;
        }
    }

    /// <summary>Runs the rest of the calling flow (until disposed) as a step of <paramref name="requestId"/>'s orchestration.</summary>
    public static OrchestrationStep For(string requestId)
    {
        ArgumentNullException.ThrowIfNull(requestId);
        var step = new OrchestrationStep(requestId, CurrentStep.Value);
        CurrentStep.Value = step;
        return step;
    }

    /// <summary>Whether the calling flow is a step of <paramref name="requestId"/>'s orchestration, which takes the work it commits back itself.</summary>
    public static bool IsStepOf(string requestId) => Of(requestId) is not null;

    /// <summary>The step of <paramref name="requestId"/>'s orchestration the calling flow runs as; null when it is none.</summary>
    public static OrchestrationStep? Of(string requestId) =>
        CurrentStep.Value is { } step && string.Equals(step.RequestId, requestId, StringComparison.Ordinal) ? step : null;

    /// <summary>
    /// Records a commit one of this step's decisions went into (called by the engine, possibly from another step's flow
    /// that committed the decisions together): the request as committed and the work it owes after that commit.
    /// </summary>
    public void Record(DataSubjectRequest committed, IEnumerable<WorkItem> work)
    {
        ArgumentNullException.ThrowIfNull(committed);
        ArgumentNullException.ThrowIfNull(work);
        lock (_gate)
        {
            if (_request is null || committed.Version >= _request.Version)
            {
                _request = committed;
                _work.Clear();
                _work.AddRange(work);
            }
        }
    }

    public void Dispose() => CurrentStep.Value = _outer;
}
