using DataRights.Core.Ports;
using DataRights.Core.Text;
using DataRights.Host.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace DataRights.Host.Staff;

/// <summary>
/// <c>/api/admin/suppressions</c>: the marketing suppression list (hashes only). Marketing tools page
/// through the hashes, or check one address (sent in the body, so it stays out of URLs and logs).
/// </summary>
public static class SuppressionEndpoints
{
    public static IEndpointRouteBuilder MapSuppressions(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/admin/suppressions").RequireAuthorization(StaffRoles.ApproverPolicy).WithTags("Staff").DisableAntiforgery();
        group.MapGet("/", async (string? after, int? max, ISuppressionList list, CancellationToken ct) =>
                TypedResults.Ok(await list.ListAsync(after, max ?? 1000, ct)))
            .TakesOnlyQuery("after", "max").WithName("ListSuppressions").WithSummary("Suppression entries in hash order (SHA-256 of the lower-cased email); page with ?after=<last hash>");
        group.MapPost("/check", CheckAsync).WithName("CheckSuppression").WithSummary("Whether an email address must not receive direct marketing");
        return app;
    }

    private static async Task<Results<Ok<SuppressionCheck>, ValidationProblem>> CheckAsync(CheckBody body, ISuppressionList list, CancellationToken cancellationToken) =>
        await IsSuppressedAsync(list, body.Email, cancellationToken) is { } suppressed
            ? TypedResults.Ok(new SuppressionCheck(suppressed))
            : TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["email"] = ["Give an email address in the correct format."] }, title: "The check has problems.");

    /// <summary>Whether <paramref name="email"/> must not receive direct marketing; null when it is not an email address. The API's check and the console's.</summary>
    public static async Task<bool?> IsSuppressedAsync(ISuppressionList list, string? email, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(list);
        return EmailAddress.TryNormalize(email, out var normalized) ? await list.ContainsAsync(ISuppressionList.Hash(normalized), cancellationToken) : null;
    }

    public sealed record CheckBody(string? Email);

    public sealed record SuppressionCheck(bool Suppressed);
}
