namespace DataRights.Host.Http;

/// <summary>Writes a 400-class answer for input the program cannot read: problem+json naming the field under /api, a plain page elsewhere.</summary>
public static class RequestProblems
{
    public const string Title = "The request could not be read. Nothing was changed.";

    /// <summary>A problem's detail naming the fields to check: "Check this field: email." or "Check these fields: email, fullName."</summary>
    public static string CheckFields(IEnumerable<string> fields)
    {
        var named = fields.ToList();
        return named.Count == 1 ? $"Check this field: {named[0]}." : $"Check these fields: {string.Join(", ", named)}.";
    }

    public static Task WriteAsync(HttpContext context, int status, string field, string message)
    {
        context.Response.StatusCode = status;
        if (!ErrorResponses.IsApi(context.Request))
        {
            return Pages.Layout.WriteAsync(context, "There is a problem", Pages.Layout.Message("There is a problem", $"{message} Nothing was changed."), status);
        }

        var problem = new HttpValidationProblemDetails(new Dictionary<string, string[]>(StringComparer.Ordinal) { [field] = [message] })
        {
            Status = status,
            Title = status == StatusCodes.Status415UnsupportedMediaType ? "Unsupported content type" : Title,
            Detail = CheckFields([field]),
        };
        return context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = problem,
        }).AsTask();
    }
}
