using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace DataRights.Bench.Hosting;

/// <summary>
/// The real program (its own Program.cs, nothing replaced) on real Kestrel on a free loopback port,
/// in the Production environment, with the given settings laid over appsettings.json and the settings
/// Production requires (<see cref="DataRights.Testing.DeploymentTestSettings"/>).
/// </summary>
internal sealed class ProgramHost : WebApplicationFactory<Program>
{
    private readonly IReadOnlyDictionary<string, string?> _settings;

    public ProgramHost(IReadOnlyDictionary<string, string?> settings)
    {
        var all = DataRights.Testing.DeploymentTestSettings.Settings();
        foreach (var (key, value) in settings)
        {
            all[key] = value;
        }

        _settings = all;
        PinContentRoot();
        UseKestrel(0);
    }

    /// <summary>Starts Kestrel and returns the address it actually listens on.</summary>
    public Uri Start()
    {
        StartServer();
        var addresses = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var address = addresses.FirstOrDefault(a => a.StartsWith("http://", StringComparison.Ordinal))
            ?? throw new InvalidOperationException("Kestrel reported no http:// address.");
        return new Uri(address.TrimEnd('/') + "/");
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(Environments.Production);
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        // Added last, so it also wins over appsettings.json (which sets log levels of its own).
        builder.ConfigureAppConfiguration(configuration => configuration.AddInMemoryCollection(_settings));
    }

    /// <summary>
    /// WebApplicationFactory looks for MvcTestingAppManifest.json in the current directory, which under
    /// <c>dotnet run</c> is wherever the command was typed. Read the manifest next to this assembly instead
    /// and hand its answer over through the factory's own override variable; without a manifest, use the
    /// output folder (the host's appsettings.json is copied there).
    /// </summary>
    internal static void PinContentRoot()
    {
        var assembly = typeof(Program).Assembly.GetName();
        var variable = "ASPNETCORE_TEST_CONTENTROOT_" + assembly.Name!.ToUpperInvariant().Replace('.', '_');
        if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable(variable)))
        {
            return;
        }

        var manifest = Path.Combine(AppContext.BaseDirectory, "MvcTestingAppManifest.json");
        string? contentRoot = null;
        if (File.Exists(manifest))
        {
            var roots = JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(manifest));
            contentRoot = roots?.GetValueOrDefault(assembly.FullName);
        }

        Environment.SetEnvironmentVariable(
            variable, contentRoot is not null && Directory.Exists(contentRoot) ? contentRoot : AppContext.BaseDirectory);
    }
}
