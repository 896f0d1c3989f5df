using System.Text.Json;
using System.Text.Json.Nodes;

namespace DataRights.Host.Functions;

/// <summary>
/// Writes the Functions app layout from <see cref="FunctionCatalog"/>: <c>host.json</c> and one <c>{name}/function.json</c>
/// per function. <c>publish.sh</c> runs the published program as <c>DataRights.Host write-functions {folder}</c>.
/// </summary>
public static class FunctionsPackaging
{
    public const string Command = "write-functions";
    public const string HandlerExecutable = "DataRights.Host";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>When the command line is <c>write-functions {folder}</c>: writes the files and returns true (the program then exits).</summary>
    public static bool WriteIfAsked(WebApplication app, string[] args)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (args is not [Command, var folder])
        {
            return false;
        }

        var written = Write(app.Services.GetRequiredService<FunctionCatalog>(), folder);
        Console.WriteLine($"Wrote host.json and {written.Count} function(s) to {Path.GetFullPath(folder)}: {string.Join(", ", written)}");
        return true;
    }

    /// <summary>Writes host.json and every function.json under <paramref name="folder"/>; returns the function names.</summary>
    public static IReadOnlyList<string> Write(FunctionCatalog catalog, string folder)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "host.json"), HostJson().ToJsonString(Indented) + "\n");
        var names = new List<string>();
        foreach (var function in catalog.All)
        {
            var directory = Path.Combine(folder, function.Name);
            Directory.CreateDirectory(directory);
            File.WriteAllText(Path.Combine(directory, "function.json"), function.FunctionJson().ToJsonString(Indented) + "\n");
            names.Add(function.Name);
        }

        return names;
    }

    /// <summary>
    /// The Functions host's settings: run <see cref="HandlerExecutable"/> as the custom handler, forward HTTP requests to
    /// it as they are, no <c>/api</c> route prefix (the program has its own routes), extension bundle v4 (timer, Service Bus).
    /// </summary>
    public static JsonObject HostJson() => new()
    {
        ["version"] = "2.0",
        ["logging"] = new JsonObject
        {
            ["applicationInsights"] = new JsonObject
            {
                ["samplingSettings"] = new JsonObject { ["isEnabled"] = true, ["excludedTypes"] = "Request" },
            },
        },
        ["extensionBundle"] = new JsonObject
        {
            ["id"] = "Microsoft.Azure.Functions.ExtensionBundle",
            ["version"] = "[4.*, 5.0.0)",
        },
        ["customHandler"] = new JsonObject
        {
            ["description"] = new JsonObject
            {
                ["defaultExecutablePath"] = HandlerExecutable,
                ["workingDirectory"] = string.Empty,
                ["arguments"] = new JsonArray(),
            },
            ["enableForwardingHttpRequest"] = true,
        },
        ["extensions"] = new JsonObject
        {
            ["http"] = new JsonObject { ["routePrefix"] = string.Empty },
        },
    };
}
