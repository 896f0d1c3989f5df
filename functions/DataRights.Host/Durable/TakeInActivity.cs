using DataRights.Host.Requests;
using Microsoft.DurableTask;

namespace DataRights.Host.Durable;

/// <summary>
/// Takes in a kept submission (<see cref="IntakeService.TakeInAsync"/>): what intake used to do before answering, now
/// done after, the same way for every submission. Run again (Durable runs an activity at least once), it finds the
/// submission gone and does nothing; stopped before the removal, it is taken in again as a repeat of the request the first
/// run stored, as a submission sent twice is.
/// </summary>
[DurableTask(Name)]
public sealed class TakeInActivity(IServiceScopeFactory scopes) : TaskActivity<string, string>
{
    public const string Name = "TakeIn";

    public override Task<string> RunAsync(TaskActivityContext context, string input) => CarryOutAsync(input, CancellationToken.None);

    /// <summary>The activity's work (the Function App's activity function calls it too).</summary>
    public async Task<string> CarryOutAsync(string submissionId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(submissionId);
        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IntakeService>().TakeInAsync(submissionId, cancellationToken);
    }
}
