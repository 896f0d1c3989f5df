using DataRights.Core.Email;
using DataRights.Core.Requests;
using DataRights.Core.Workflow;
using DataRights.Host.Email;

namespace DataRights.Host.Sources;

/// <summary>Emails a manual source's owner their task; idempotent on the work item, like every message.</summary>
public sealed class ManualTasks(MessageComposer composer, IEmailSender sender)
{
    /// <summary>The step a task link names: <c>discover:crm:1</c>.</summary>
    public static string Step(SourceStep step, string sourceKey, int round) => ActionStep.Task(step, sourceKey, round).Format();

    public async Task SendAsync(string workItemId, DataSubjectRequest request, string sourceKey, string step, ManualSourceConnector manual, CancellationToken cancellationToken)
    {
        var name = request.Progress.Source(sourceKey)?.DisplayName ?? sourceKey;
        await sender.SendAsync(composer.ComposeManualTask(workItemId + ":task", request, sourceKey, name, step, manual.Owner), cancellationToken);
    }
}
