namespace DataRights.Host.Http;

/// <summary>
/// Lists that take query parameters refuse any other (a misspelt or unsupported filter such as <c>?stauts=</c> or
/// <c>?status=</c>) with a 400 problem naming it, so that a filter the list does not have is never read as "all of them".
/// </summary>
public static class QueryFields
{
    /// <summary>Refuses every query parameter of the endpoint's requests other than <paramref name="names"/>.</summary>
    public static RouteHandlerBuilder TakesOnlyQuery(this RouteHandlerBuilder builder, params string[] names)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var known = names.ToHashSet(StringComparer.Ordinal);
        var message = names.Length == 0
            ? "This list takes no query parameters; it cannot be filtered or sorted by this."
            : $"This list takes only {string.Join(" and ", names)}; it cannot be filtered or sorted by this.";
        return builder.AddEndpointFilter(async (context, next) =>
        {
            var unknown = context.HttpContext.Request.Query.Keys.Where(k => !known.Contains(k)).Order(StringComparer.Ordinal).ToList();
            return unknown.Count == 0
                ? await next(context)
                : TypedResults.ValidationProblem(
                    unknown.ToDictionary(k => k, _ => new[] { message }, StringComparer.Ordinal),
                    title: "The list request has problems.",
                    detail: RequestProblems.CheckFields(unknown));
        });
    }
}
