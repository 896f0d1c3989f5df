using DataRights.Core.Ports;
using DataRights.Core.Requests;
using DataRights.Core.Text;
using DataRights.Core.Workflow;
using DataRights.Host.Http;
using DataRights.Host.Workflow;

namespace DataRights.Host.Staff;

/// <summary>
/// <c>/api/admin/restrictions</c>: restrictions in force (Art. 18) until lifted, and lifting one: the
/// person is told at once, and the sources release their records after the notice period.
/// </summary>
public static class RestrictionEndpoints
{
    public static IEndpointRouteBuilder MapRestrictions(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/admin/restrictions").RequireAuthorization(StaffRoles.ApproverPolicy).WithTags("Staff").DisableAntiforgery();
        group.MapGet("/", ListAsync).TakesOnlyQuery().WithName("ListRestrictions").WithSummary("Restrictions in force or being lifted");
        group.MapPost("/{id}/lift", LiftAsync).WithName("LiftRestriction").WithSummary("Tell the person and lift the restriction after the notice period")
            .RequireAuthorization(StaffRoles.AdminPolicy);
        return app;
    }

    public sealed record RestrictionView(string Id, string Reference, DateTimeOffset PlacedAt, DateTimeOffset? LiftAt, string? LiftReason, int RecordsRestricted);

    public sealed record LiftBody(string? Reason);

    private static async Task<IResult> ListAsync(IRequestStore store, CancellationToken cancellationToken)
    {
        if (store is not IRequestListing listing)
        {
            return TypedResults.Problem("This store cannot list completed requests yet.", statusCode: StatusCodes.Status501NotImplemented);
        }

        var requests = await listing.ListCompletedAsync(RequestType.Restriction, 1000, cancellationToken);
        return TypedResults.Ok(requests
            .Where(r => r.Progress.Restriction is { LiftedAt: null })
            .Select(r => new RestrictionView(r.Id, r.Reference, r.Progress.Restriction!.PlacedAt, r.Progress.Restriction.LiftAt, r.Progress.Restriction.LiftReason,
                r.Progress.Sources.Sum(s => s.Outcome?.Restricted ?? 0)))
            .ToList());
    }

    private static async Task<IResult> LiftAsync(string id, LiftBody body, HttpContext context, WorkflowEngine engine)
    {
        var reason = body.Reason?.Trim();
        if (reason is not { Length: >= 10 and <= 1000 } || TextRules.HasForbiddenCharacters(reason, multiLine: false))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["reason"] = ["Give the reason the person will be told (10 to 1000 characters, one line)."] },
                title: "Nothing was changed.");
        }

        var decision = await engine.ApplyAsync(id, new RestrictionLiftRequested(StaffWorkflowEndpoints.Actor(context), reason), context.RequestAborted);
        return decision switch
        {
            null => TypedResults.NotFound(),
            { Refused: { } refused } => TypedResults.Problem(refused, statusCode: StatusCodes.Status409Conflict),
            _ => TypedResults.Ok(new { liftAt = decision.Request.Progress.Restriction?.LiftAt }),
        };
    }
}
