using DataRights.Core.Sources;
using DataRights.Core.Sources.Registry;
using DataRights.Host.Http;
using DataRights.Host.Sources;
using Microsoft.AspNetCore.Http.HttpResults;

namespace DataRights.Host.Staff;

/// <summary>
/// <c>/api/admin/sources</c>: list, read, register or replace (validated strictly, problems named by
/// path), deactivate, and test a data source. Admins only. Secrets are only ever references.
/// </summary>
public static class SourceEndpoints
{
    public static IEndpointRouteBuilder MapSources(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/admin/sources").RequireAuthorization(StaffRoles.AdminPolicy).WithTags("Staff").DisableAntiforgery();
        group.MapGet("/", async (ISourceRegistrationStore store, CancellationToken ct) => TypedResults.Ok(await store.ListAsync(ct)))
            .TakesOnlyQuery().WithName("ListSources").WithSummary("Registered data sources, active or not");
        group.MapGet("/{key}", GetAsync).WithName("GetSource");
        group.MapPut("/{key}", PutAsync).WithName("RegisterSource").WithSummary("Register a data source, or replace its registration");
        group.MapDelete("/{key}", DeleteAsync).WithName("DeactivateSource").WithSummary("Stop fanning requests out to a source; its history stays");
        group.MapPost("/{key}/test", TestAsync).WithName("TestSource").WithSummary("Check a source can be reached, without changing anything");
        return app;
    }

    private static async Task<Results<Ok<StoredRegistration>, NotFound>> GetAsync(string key, ISourceRegistrationStore store, CancellationToken ct) =>
        (await store.ListAsync(ct)).FirstOrDefault(s => s.Registration.Key == key) is { } found ? TypedResults.Ok(found) : TypedResults.NotFound();

    private static async Task<Results<Ok<StoredRegistration>, ValidationProblem>> PutAsync(
        string key, SourceRegistration registration, HttpContext context, ISourceRegistrationStore store, SourceRegistry registry, SourceRules rules, TimeProvider time)
    {
        if (Http.BoundNulls.Find(registration) is { Count: > 0 } nulls)
        {
            return TypedResults.ValidationProblem(nulls, title: "The registration has problems. Nothing was saved.");
        }

        var candidate = string.IsNullOrEmpty(registration.Key) ? registration with { Key = key } : registration;
        var errors = await rules.ValidateAsync(candidate, context.RequestAborted);
        if (candidate.Key != key)
        {
            errors["key"] = ["The key in the body must match the address."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The registration has problems. Nothing was saved.");
        }

        await store.SaveAsync(candidate, StaffWorkflowEndpoints.Actor(context), time.GetUtcNow(), context.RequestAborted);
        await registry.ReloadAsync(context.RequestAborted);
        return TypedResults.Ok((await store.ListAsync(context.RequestAborted)).First(s => s.Registration.Key == key));
    }

    private static async Task<Results<NoContent, NotFound>> DeleteAsync(string key, HttpContext context, ISourceRegistrationStore store, SourceRegistry registry, TimeProvider time)
    {
        // A key no source could have (too long for the store's row key, say) names none.
        if (!SourceRegistrationValidator.IsKey(key) || !await store.DeactivateAsync(key, StaffWorkflowEndpoints.Actor(context), time.GetUtcNow(), context.RequestAborted))
        {
            return TypedResults.NotFound();
        }

        await registry.ReloadAsync(context.RequestAborted);
        return TypedResults.NoContent();
    }

    private static async Task<Results<Ok<ConnectionTest>, NotFound>> TestAsync(string key, IDataSourceRegistry registry, CancellationToken ct) =>
        registry.Connector(key) is { } connector ? TypedResults.Ok(await connector.TestAsync(ct)) : TypedResults.NotFound();
}
