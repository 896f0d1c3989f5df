using DataRights.Core.Ports;
using DataRights.Core.Requests;
using DataRights.Core.Workflow;
using DataRights.Host.Workflow;

namespace DataRights.Host.Exports;

/// <summary>Builds an export package once every source has made its copy, and deletes it when its link expires.</summary>
public sealed class ExportWorkHandler(IRequestStore store, ExportPackager packager, ExportFiles files, WorkflowEngine engine) : IWorkHandler
{
    public string Kind => WorkItem.Export;

    public async Task HandleAsync(WorkAttempt item, bool isLastAttempt, CancellationToken cancellationToken)
    {
        var payload = WorkflowJson.Deserialize<WorkItem.ExportPayload>(item.Item.Payload);
        if (await store.GetAsync(item.Item.RequestId, cancellationToken) is not { } request)
        {
            return;
        }

        if (payload.Action == "delete")
        {
            await files.DeleteAsync(request.Id, cancellationToken);
            await engine.ApplyAsync(request.Id, new ExportDeleted("system:export"), cancellationToken);
            return;
        }

        if (request.Progress.Export is null)
        {
            if (request.Status != RequestStatus.Executing)
            {
                return;
            }

            // A copy gone from storage is made again, then the package built (the build refuses to leave one out).
            if (await packager.MissingCopiesAsync(request, cancellationToken) is { Count: > 0 } missing)
            {
                await engine.ApplyAsync(request.Id, new ExportCopiesMissing("system:export", missing), cancellationToken);
                return;
            }

            var package = await packager.BuildAsync(request, cancellationToken);
            var built = await engine.ApplyAsync(request.Id, new ExportBuilt("system:export", package.Bytes, package.Records, package.Files) { RecordsBySource = package.RecordsBySource }, cancellationToken);
            if (built?.Request.Progress.Export is null)
            {
                // Not recorded (the request moved on meanwhile: given up, say, and retried later by staff): the copies stay
                // for the build that will be.
                return;
            }
        }

        // The copies are folded into the package; only the sealed package stays until its link expires. They go only once
        // the package is recorded: a run that failed or stopped part-way through deleting them, run again, would otherwise
        // build a package from the copies left, missing the others, and offer it as the person's data. Run again after
        // the package was recorded, it deletes what is left.
        foreach (var source in request.Progress.Sources)
        {
            await files.DeletePartAsync(request.Id, source.Key, cancellationToken);
        }
    }
}
