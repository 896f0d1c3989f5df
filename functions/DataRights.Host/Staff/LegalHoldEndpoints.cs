using System.Security.Cryptography;
using DataRights.Core.Sources.Registry;
using DataRights.Core.Text;
using DataRights.Host.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace DataRights.Host.Staff;

/// <summary><c>/api/admin/holds</c>: place, list and lift legal holds on a person or a source (Admins).</summary>
public static class LegalHoldEndpoints
{
    public static IEndpointRouteBuilder MapLegalHolds(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/admin/holds").RequireAuthorization(StaffRoles.AdminPolicy).WithTags("Staff").DisableAntiforgery();
        group.MapGet("/", async (ILegalHoldStore store, CancellationToken ct) => TypedResults.Ok(await store.ListAsync(ct))).TakesOnlyQuery().WithName("ListLegalHolds");
        group.MapPost("/", PlaceAsync).WithName("PlaceLegalHold").WithSummary("Stop erasure for a person (everywhere) or a whole source");
        group.MapDelete("/{id}", async Task<Results<NoContent, NotFound>> (string id, HttpContext context, ILegalHoldStore store, TimeProvider time) =>
            IsHoldId(id) && await store.LiftAsync(id, StaffWorkflowEndpoints.Actor(context), time.GetUtcNow(), context.RequestAborted) ? TypedResults.NoContent() : TypedResults.NotFound())
            .WithName("LiftLegalHold");
        return app;
    }

    private const string IdPrefix = "hold_";

    /// <summary>Whether <paramref name="id"/> has the shape of a hold's id (<see cref="NewHold"/>): any other names none.</summary>
    private static bool IsHoldId(string id) =>
        id.Length == IdPrefix.Length + 16 && id.StartsWith(IdPrefix, StringComparison.Ordinal) && id.AsSpan(IdPrefix.Length).ContainsAnyExcept("0123456789abcdef") is false;

    private static async Task<Results<Created<LegalHold>, ValidationProblem>> PlaceAsync(
        HoldBody body, HttpContext context, ILegalHoldStore store, ISourceRegistrationStore registrations, TimeProvider time)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var hold = NewHold(body, StaffWorkflowEndpoints.Actor(context), time.GetUtcNow(), errors);

        // A hold on a key no source has (a typo, "CRM" for "crm") would protect nothing while staff believe it does.
        if (hold is { Scope: LegalHold.SourceScope } && !(await registrations.ListAsync(context.RequestAborted)).Any(s => s.Registration.Key == hold.SourceKey))
        {
            errors["sourceKey"] = ["No source is registered under this key. Give the key exactly as the list of sources shows it."];
            hold = null;
        }

        if (hold is null)
        {
            return TypedResults.ValidationProblem(errors, title: "The hold has problems. Nothing was saved.");
        }

        await store.PlaceAsync(hold, context.RequestAborted);
        return TypedResults.Created($"/api/admin/holds/{hold.Id}", hold);
    }

    /// <summary>
    /// The hold <paramref name="body"/> asks for, placed by <paramref name="actor"/> now; null with every problem in
    /// <paramref name="errors"/> (keyed <c>scope</c>, <c>email</c>, <c>sourceKey</c>, <c>reason</c>) when it cannot be placed.
    /// The staff API and the console's hold forms both place holds through here.
    /// </summary>
    public static LegalHold? NewHold(HoldBody body, string actor, DateTimeOffset at, IDictionary<string, string[]> errors)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(errors);
        var email = string.Empty;
        if (body.Scope == LegalHold.PersonScope && !EmailAddress.TryNormalize(body.Email, out email))
        {
            errors["email"] = ["A hold on a person needs their email address, in the correct format."];
        }
        else if (body.Scope == LegalHold.SourceScope && string.IsNullOrWhiteSpace(body.SourceKey))
        {
            errors["sourceKey"] = ["A hold on a source needs the source's key."];
        }
        else if (body.Scope is not (LegalHold.PersonScope or LegalHold.SourceScope))
        {
            errors["scope"] = ["Scope must be 'person' or 'source'."];
        }

        if (string.IsNullOrWhiteSpace(body.Reason) || body.Reason.Trim().Length is < 10 or > 500 || TextRules.HasForbiddenCharacters(body.Reason, multiLine: false))
        {
            errors["reason"] = ["Give the reason for the hold (10 to 500 characters), such as the case or claim it protects."];
        }

        if (errors.Count > 0)
        {
            return null;
        }

        return new LegalHold(
            IdPrefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)),
            body.Scope!,
            body.Scope == LegalHold.PersonScope ? LegalHold.HashSubject(email) : null,
            body.Scope == LegalHold.SourceScope ? body.SourceKey!.Trim() : null,
            body.Reason!.Trim(),
            actor,
            at);
    }

    public sealed record HoldBody(string? Scope, string? Email, string? SourceKey, string? Reason);
}
