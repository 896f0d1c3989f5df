namespace DataRights.Core.Workflow;

/// <summary>
/// A search of a source (<see cref="SourceStep.Discover"/>) or the carrying out of the request at it
/// (<see cref="SourceStep.Execute"/>) that the request waits to have run, in its round: not a work item but a step its
/// orchestration runs from the stage it reads (<see cref="RequestStage.Steps"/>), side by side with the others, and
/// whose answer the decider records once (a repeated answer, or one for an earlier round, changes nothing). A kind, a
/// source's key and a number only: it travels in the orchestration's history.
/// </summary>
public sealed record PendingSourceStep(SourceStep Step, string Source, int Round)
{
    /// <summary>The tag naming the step (<c>discover.crm.1</c>, <see cref="RequestDecider.StepTag"/>).</summary>
    public string Tag => RequestDecider.StepTag(Step, Source, Round);

    /// <summary>
    /// The step's id for <paramref name="requestId"/> (<c>{request}:discover:{source}:{round}</c>), the id its work item
    /// had: a manual source's task email and the step's audit are keyed by it, so a step run again sends nothing twice.
    /// </summary>
    public string IdFor(string requestId) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{requestId}:{Kebab.Of(Step)}:{Source}:{Round}");
}
