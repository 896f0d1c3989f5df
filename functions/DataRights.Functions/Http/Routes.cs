namespace DataRights.Functions.Http;

public static class Routes
{
    /// <summary>
    /// The site root ("/"). An empty Route does not reach the root on the Functions host; an optional parameter that
    /// must be empty does (with <c>extensions.http.routePrefix</c> "" in host.json).
    /// </summary>
    public const string Root = "{ignored:maxlength(0)?}";
}
