using DataRights.Core.Retention;
using DataRights.Host.Http;
using DataRights.Host.Retention;
using Microsoft.AspNetCore.Http.HttpResults;

namespace DataRights.Host.Staff;

/// <summary>
/// <c>/api/admin/retention</c>: each region's purge timer and retention rules; replace a region's rules
/// (validated strictly, every problem named by its path, nothing saved on any problem). Admins only.
/// Every change is audited in the retention chain.
/// </summary>
public static class RetentionPolicyEndpoints
{
    public static IEndpointRouteBuilder MapRetentionPolicies(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/admin/retention").RequireAuthorization(StaffRoles.AdminPolicy).WithTags("Staff").DisableAntiforgery();
        group.MapGet("/", ListAsync).TakesOnlyQuery().WithName("ListRetentionPolicies").WithSummary("Each region's purge timer and retention rules");
        group.MapGet("/{region}", GetAsync).WithName("GetRetentionPolicy");
        group.MapPut("/{region}", PutAsync).WithName("SaveRetentionPolicy").WithSummary("Replace a region's retention rules");
        return app;
    }

    private static async Task<Ok<IReadOnlyList<RetentionRegionResponse>>> ListAsync(IRetentionPolicyStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok(await RegionsAsync(store, cancellationToken));

    /// <summary>Every region with a purge timer, with its stored rules (none stored: an empty list). The API's list and the console's page.</summary>
    public static async Task<IReadOnlyList<RetentionRegionResponse>> RegionsAsync(IRetentionPolicyStore store, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        var stored = await store.ListAsync(cancellationToken);
        return [.. PurgeRegions.All.Select(r => RetentionRegionResponse.From(r, stored.FirstOrDefault(s => s.Policy.Region == r.Key)))];
    }

    private static async Task<Results<Ok<RetentionRegionResponse>, NotFound>> GetAsync(string region, IRetentionPolicyStore store, CancellationToken cancellationToken) =>
        PurgeRegions.Find(region) is { } known
            ? TypedResults.Ok(RetentionRegionResponse.From(known, await store.GetAsync(region, cancellationToken)))
            : TypedResults.NotFound();

    private static async Task<Results<Ok<RetentionRegionResponse>, ValidationProblem>> PutAsync(
        string region, HttpContext context, IRetentionPolicyStore store, TimeProvider time, ILogger<RetentionRegionResponse> logger)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var known = PurgeRegions.Find(region);
        if (known is null)
        {
            errors["region"] = [$"No purge timer for this region. Known regions: {string.Join(", ", PurgeRegions.All.Select(r => r.Key))}."];
        }

        var body = await BoundedBody.ReadAsync(context.Request, BoundedBody.MaxBytes, context.RequestAborted);
        var rules = body is null ? null : RetentionJsonReader.ReadPolicy(body, region, errors);
        if (body is null)
        {
            errors["body"] = [$"The request body is larger than {BoundedBody.MaxBytes / 1024} KiB."];
        }
        else if (rules is not null)
        {
            foreach (var (field, messages) in RetentionPolicyValidator.Validate(rules))
            {
                errors[field] = messages;
            }
        }

        if (errors.Count > 0 || rules is null || known is null)
        {
            return TypedResults.ValidationProblem(errors, title: "The retention policy has problems. Nothing was saved.");
        }

        var policy = new RetentionPolicy(region, [.. rules.Select(r => r with { Basis = r.Basis.Trim() })]);
        await store.SaveAsync(policy, StaffWorkflowEndpoints.Actor(context), time.GetUtcNow(), context.RequestAborted);
        logger.RetentionPolicySaved(region, policy.Rules.Count);
        return TypedResults.Ok(RetentionRegionResponse.From(known, await store.GetAsync(region, context.RequestAborted)));
    }
}

/// <summary>A region's purge timer and its rules (empty when none are stored: nothing is purged there).</summary>
public sealed record RetentionRegionResponse(
    string Region, string Job, string Schedule, string TimeZone, IReadOnlyList<RetentionRule> Rules, DateTimeOffset? UpdatedAt, string? UpdatedBy)
{
    public static RetentionRegionResponse From(PurgeRegion region, StoredRetentionPolicy? stored) =>
        new(region.Key, region.JobName, region.Schedule, region.TimeZoneId, stored?.Policy.Rules ?? [], stored?.UpdatedAt, stored?.UpdatedBy);
}
