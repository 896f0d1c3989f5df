using DataRights.Core.Deadlines;
using DataRights.Core.Sources;

namespace DataRights.Core.Workflow;

/// <summary>Everything a decision may depend on besides the request and the event: time, rules and the source list, as inputs.</summary>
public sealed record DecisionContext(
    DateTimeOffset Now,
    DeadlineRegime Regime,
    DeadlineCalculator Calculator,
    WorkflowSettings Settings,
    IReadOnlyList<DataSourceDescriptor> ActiveSources);
