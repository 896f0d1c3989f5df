using System.Text.Json;
using DataRights.Core.Audit;
using DataRights.Core.Ports;
using Microsoft.AspNetCore.Http.HttpResults;

namespace DataRights.Host.Staff;

/// <summary>Staff reads of one request, its audit trail and its workflow (<c>/api/admin/requests</c>).</summary>
public static class AdminRequestEndpoints
{
    public static IEndpointRouteBuilder MapAdminRequests(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/admin/requests").RequireAuthorization(StaffRoles.ApproverPolicy).WithTags("Staff");
        group.MapGet("/{id}", GetAsync).WithName("GetRequestForStaff").WithSummary("A request with its personal data");
        group.MapGet("/{id}/audit", GetAuditAsync).WithName("GetAuditTrail").WithSummary("The audit trail and whether its hash chain holds");
        group.MapGet("/{id}/workflow", GetWorkflowAsync).WithName("GetRequestWorkflow").WithSummary("Where the request's orchestration stands: its state, what it runs or waits for next");
        return app;
    }

    private static async Task<Results<Ok<StaffRequestResponse>, NotFound>> GetAsync(string id, IRequestStore store, CancellationToken cancellationToken)
    {
        if (await store.GetAsync(id, cancellationToken) is not { } r)
        {
            return TypedResults.NotFound();
        }

        return TypedResults.Ok(StaffRequestResponse.From(r));
    }

    private static async Task<Results<Ok<Durable.RequestWorkflow>, NotFound>> GetWorkflowAsync(
        string id, IRequestStore store, HttpContext context, CancellationToken cancellationToken) =>
        await store.GetAsync(id, cancellationToken) is { } request
            ? TypedResults.Ok(await Durable.RequestWorkflow.ReadAsync(request, context.RequestServices, cancellationToken))
            : TypedResults.NotFound();

    private static async Task<Results<Ok<AuditTrailResponse>, NotFound>> GetAuditAsync(
        string id, IRequestStore store, ILogger<AuditTrailResponse> logger, CancellationToken cancellationToken)
    {
        if (await store.GetAsync(id, cancellationToken) is not { } request)
        {
            return TypedResults.NotFound();
        }

        var trail = await store.GetAuditTrailAsync(id, cancellationToken);
        var check = AuditChain.Verify(trail, request.AuditHead);
        logger.AuditTrailRead(id, trail.Count, check.IsValid);
        return TypedResults.Ok(new AuditTrailResponse(
            id,
            check.IsValid,
            check.EntryCount,
            check.FirstBrokenSequence,
            check.Problem,
            [.. trail.Select(e => new AuditEntryResponse(
                e.Sequence, e.At, e.Actor, e.Action, e.FromStatus, e.ToStatus, JsonDocument.Parse(e.Details).RootElement.Clone(), e.PreviousHash, e.Hash))]));
    }
}
