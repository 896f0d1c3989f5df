using System.Reflection;
using DataRights.Functions;
using DataRights.Testing.Azurite;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace DataRights.Integration.Tests.FunctionApp;

/// <summary>
/// The Function App's services and HTTP functions in process, on an in-memory server laid out as the isolated worker's
/// ASP.NET Core integration lays out its own: routing to one endpoint per HTTP function (so the request arrives with
/// that endpoint and its route values set), the function invoked with the real <see cref="HttpRequest"/>, and its
/// <see cref="IActionResult"/> executed afterwards against the same context. (The Functions host itself cannot run here.)
/// </summary>
public sealed class FunctionAppServer : IAsyncDisposable
{
    private readonly IHost _host;
    private readonly string _dataDirectory;

    private FunctionAppServer(IHost host, string dataDirectory)
    {
        _host = host;
        _dataDirectory = dataDirectory;
    }

    public IServiceProvider Services => _host.Services;

    public HttpClient CreateClient() => _host.GetTestClient();

    /// <summary>A browser-like client (cookies kept, redirects shown rather than followed), for the staff console.</summary>
    public HttpClient CreateBrowserClient() =>
        new(new Microsoft.AspNetCore.Mvc.Testing.Handlers.CookieContainerHandler { InnerHandler = _host.GetTestServer().CreateHandler() }) { BaseAddress = new Uri("http://localhost") };

    /// <summary>The Durable client bound to the functions that take one: it records the orchestrations started and the events raised.</summary>
    public RecordingDurableClient Durable => _host.Services.GetRequiredService<RecordingDurableClient>();

    /// <summary>Starts it in Development with the development sign-in, as <see cref="Infrastructure.DataRightsFactory"/> starts the stand-alone host.</summary>
    /// <summary>
    /// Runs the queue-triggered function for every submission on the submission queue, as the Functions host would: the
    /// message's text and the bound Durable client, the message removed once the function returned. Returns what each did.
    /// </summary>
    public async Task<IReadOnlyList<string>> KeepQueuedSubmissionsAsync()
    {
        var queue = Services.GetRequiredService<DataRights.Host.Requests.SubmissionQueue>();
        var function = new DataRights.Functions.Durable.SubmissionFunctions(
            Services.GetRequiredService<DataRights.Host.Durable.TakeInActivity>(), Services.GetRequiredService<DataRights.Host.Durable.SubmissionTakeIns>(), Services.GetRequiredService<DataRights.Functions.Durable.ActivityStepGuard>());
        var outcomes = new List<string>();
        while (await queue.ReceiveAsync(poison: false, 16, TimeSpan.FromSeconds(30), CancellationToken.None) is { Length: > 0 } messages)
        {
            foreach (var message in messages)
            {
                outcomes.Add(await function.Keep(message.Body.ToString(), Durable, CancellationToken.None));
                await queue.DeleteAsync(poison: false, message, CancellationToken.None);
            }
        }

        return outcomes;
    }

    /// <summary>
    /// Runs the taking in of every submission queued (<see cref="KeepQueuedSubmissionsAsync"/>) or whose orchestration
    /// was started (through <see cref="Durable"/>, which runs nothing), as the Functions host would: its activity function,
    /// with the client bound to it. Returns what each became.
    /// </summary>
    public async Task<IReadOnlyList<string>> TakeInSubmissionsAsync()
    {
        await KeepQueuedSubmissionsAsync();
        var activity = new DataRights.Functions.Durable.SubmissionFunctions(
            Services.GetRequiredService<DataRights.Host.Durable.TakeInActivity>(), Services.GetRequiredService<DataRights.Host.Durable.SubmissionTakeIns>(), Services.GetRequiredService<DataRights.Functions.Durable.ActivityStepGuard>());
        var outcomes = new List<string>();
        foreach (var (_, _, input) in Durable.Started.Where(s => s.Name == DataRights.Host.Durable.SubmissionOrchestrator.Name).ToList())
        {
            outcomes.Add(await activity.TakeIn(((DataRights.Host.Durable.SubmissionRun)input!).SubmissionId, Durable, CancellationToken.None));
        }

        return outcomes;
    }

    public static async Task<FunctionAppServer> StartAsync()
    {
        var dataDirectory = Directory.CreateTempSubdirectory("datarights-functionapp-").FullName;
        var storage = SharedAzurite.StorageSettings(await SharedAzurite.GetAsync(), dataDirectory);
        var host = new HostBuilder()
            .ConfigureAppConfiguration(configuration => configuration.AddInMemoryCollection(storage))
            .ConfigureWebHost(web => web
                .UseTestServer()
                .UseEnvironment(Environments.Development)
                .UseSetting("DataRights:DataDirectory", dataDirectory)
                .UseSetting("DataRights:DevSignIn", "true")
                .ConfigureServices((context, services) =>
                {
                    // The worker's web host defaults include routing.
                    services.AddRouting();
                    services.AddDataRightsFunctionApp(context.Configuration, context.HostingEnvironment);
                    services.AddSingleton<RecordingDurableClient>();
                })
                .Configure(app =>
                {
                    app.UseRouting();
                    app.UseEndpoints(endpoints =>
                    {
                        foreach (var function in FunctionCatalog.Functions.Where(f => FunctionCatalog.HttpTriggerOf(f) is not null))
                        {
                            var trigger = FunctionCatalog.HttpTriggerOf(function)!;
                            endpoints.MapMethods("/" + trigger.Route, trigger.Methods!.Select(m => m.ToUpperInvariant()), context => InvokeAsync(function, context));
                        }
                    });
                }))
            .Build();
        await host.StartAsync();
        return new FunctionAppServer(host, dataDirectory);
    }

    /// <summary>What the integration does per invocation: run the function, then execute the result it returned.</summary>
    private static async Task InvokeAsync(MethodInfo function, HttpContext context)
    {
        var instance = ActivatorUtilities.CreateInstance(context.RequestServices, function.DeclaringType!);
        // Its bindings: the request, and the Durable client for the functions that declare one.
        var arguments = function.GetParameters()
            .Select(p => p.ParameterType == typeof(DurableTaskClient) ? context.RequestServices.GetRequiredService<RecordingDurableClient>() : (object)context.Request)
            .ToArray();
        var result = await (Task<IActionResult>)function.Invoke(instance, arguments)!;
        await result.ExecuteResultAsync(new ActionContext(context, context.GetRouteData(), new ActionDescriptor()));
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A pooled handle may linger a moment; the OS temp cleaner takes what is left.
        }
    }
}
