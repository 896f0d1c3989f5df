using DataRights.Host.Durable;
using DataRights.Host.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.DurableTask.Client;

namespace DataRights.Functions.Http;

/// <summary>
/// The ASP.NET Core pipeline of the stand-alone host, built once from the Function App's services: the same
/// middleware (<see cref="DataRightsComposition.UseDataRightsPipeline"/>) routing to the same endpoint handlers
/// (<see cref="DataRightsComposition.MapDataRightsEndpoints"/>). Every HTTP function hands its request here; one
/// that may decide something passes its Durable client too, through which a decision announces its commit to the
/// request's orchestration before making it (<see cref="DurableCommitAnnouncer"/>).
/// </summary>
/// <remarks>
/// With the ASP.NET Core integration the function's <see cref="HttpRequest"/> is the worker's real request, and the
/// integration executes a returned <see cref="IActionResult"/> (or <c>IResult</c>) against that same context once the
/// function returns. The pipeline writes the whole response here, so the function returns an <see cref="EmptyResult"/>,
/// which writes nothing: the response is written exactly once.
/// </remarks>
public sealed class SharedPipeline(IServiceProvider services)
{
    private static readonly EmptyResult Written = new();

    private readonly Lazy<RequestDelegate> _pipeline = new(() => Build(services));

    public async Task<IActionResult> ServeAsync(HttpRequest request, DurableTaskClient? client = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        var context = request.HttpContext;

        // The worker has already matched the request to this function's endpoint; without forgetting it, our routing
        // would skip matching and run the function's endpoint instead of DataRights' own.
        context.SetEndpoint(null);
        context.Request.RouteValues.Clear();
        // A decision made in the pipeline announces its commit to the request's orchestration through this client, and a
        // handler that starts an orchestration itself (a staff purge) uses it.
        using (client is null ? null : DurableClientScope.Use(client))
        {
            await _pipeline.Value(context);
        }

        return Written;
    }

    private static RequestDelegate Build(IServiceProvider services)
    {
        var app = new ApplicationBuilder(services);
        app.UseDataRightsPipeline();
        app.UseEndpoints(endpoints => endpoints.MapDataRightsEndpoints());
        return app.Build();
    }
}
