using System.Net;
using DataRights.Core.Sources.Registry;
using DataRights.Host.Hosting;
using DataRights.Host.Staff;
using DataRights.Integration.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Options;

namespace DataRights.Integration.Tests.Security;

/// <summary>
/// The development sign-in and /dev/* need both Development and DataRights:DevSignIn=true; outside Development the
/// program needs a deployment's settings to start and never seeds the demo sources.
/// </summary>
public sealed class DevSignInTests
{
    [Theory]
    [InlineData("Production", "true")]
    [InlineData("Staging", "true")]
    [InlineData("Development", "false")]
    public async Task DevHeader_WithoutDevelopmentAndOptIn_SignsNobodyInAndHidesDevMail(string environment, string devSignIn)
    {
        using var factory = new DataRightsFactory(environment, settings: new Dictionary<string, string?> { ["DataRights:DevSignIn"] = devSignIn });
        using var client = factory.CreateClient();
        client.DefaultRequestHeaders.Add(DevUserAuthenticationHandler.HeaderName, "Mallory");

        using var staff = await client.GetAsync("/api/admin/sources");
        using var mail = await client.GetAsync("/dev/mail");
        using var mailJson = await client.GetAsync("/dev/mail.json");

        Assert.Equal(HttpStatusCode.Unauthorized, staff.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, mail.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, mailJson.StatusCode);
    }

    [Fact]
    public async Task DevHeader_InDevelopmentWithOptIn_SignsInAsAdmin()
    {
        using var factory = new DataRightsFactory(settings: new Dictionary<string, string?> { ["DataRights:DevSignIn"] = "true" });
        using var client = factory.CreateClient();
        client.DefaultRequestHeaders.Add(DevUserAuthenticationHandler.HeaderName, "Dev");

        using var staff = await client.GetAsync("/api/admin/sources");
        using var mail = await client.GetAsync("/dev/mail");

        Assert.Equal(HttpStatusCode.OK, staff.StatusCode);
        Assert.Equal(HttpStatusCode.OK, mail.StatusCode);
    }

    [Fact]
    public void Start_InProductionWithoutDeploymentSettings_FailsNamingEachMissingSetting()
    {
        var error = Assert.Throws<OptionsValidationException>(() => ValidateOptions("Production", []));

        foreach (var (setting, _) in DeploymentSettingsValidator.Required)
        {
            Assert.Contains(setting + " must be set", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Start_InProductionWithoutTheVerificationHashKey_FailsNamingIt()
    {
        // Without it each instance would hash addresses under a key file of its own: the inbox's address search and the
        // per-address verification limit would miss what another instance wrote.
        var settings = DataRights.Testing.DeploymentTestSettings.Settings();
        settings.Remove("DataRights:Verification:HashKey");

        var error = Assert.Throws<OptionsValidationException>(() => ValidateOptions("Production", settings));

        Assert.Contains("DataRights:Verification:HashKey must be set outside Development", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Start_InProductionWithHttpBaseUrl_FailsNamingIt()
    {
        var settings = DataRights.Testing.DeploymentTestSettings.Settings();
        settings["DataRights:PublicBaseUrl"] = "http://privacy.example.test";

        var error = Assert.Throws<OptionsValidationException>(() => ValidateOptions("Production", settings));

        Assert.Contains("DataRights:PublicBaseUrl must be an https address", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Start_InProductionWithDeploymentSettings_Succeeds()
    {
        var options = ValidateOptions("Production", DataRights.Testing.DeploymentTestSettings.Settings());

        Assert.Equal(DataRights.Testing.DeploymentTestSettings.PublicBaseUrl, options.PublicBaseUrl);
    }

    [Fact]
    public void Start_InDevelopmentWithoutSettings_Succeeds()
    {
        var options = ValidateOptions("Development", []);

        Assert.Null(options.PublicBaseUrl);
    }

    [Fact]
    public async Task Start_OutsideDevelopmentWithoutConfiguredSources_SeedsNoDemoSources()
    {
        using var factory = new DataRightsFactory("Production");
        using var client = factory.CreateClient();

        var registrations = await factory.Services.GetRequiredService<ISourceRegistrationStore>().ListAsync(CancellationToken.None);

        Assert.Empty(registrations);
        Assert.False(Directory.Exists(Path.Combine(factory.DataDirectory, "demo")));
    }

    [Fact]
    public async Task Start_InDevelopmentWithoutConfiguredSources_SeedsTheDemoSources()
    {
        using var factory = new DataRightsFactory();
        using var client = factory.CreateClient();

        var registrations = await factory.Services.GetRequiredService<ISourceRegistrationStore>().ListAsync(CancellationToken.None);

        Assert.Contains(registrations, r => r.Registration.Key == "crm");
    }

    // The same registration Program.cs uses; ValidateOnStart runs these validators before the server starts.
    private static DataRightsOptions ValidateOptions(string environment, Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        using var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddSingleton<IHostEnvironment>(new HostingEnvironment { EnvironmentName = environment })
            .AddDataRightsOptions()
            .BuildServiceProvider();
        return services.GetRequiredService<IOptions<DataRightsOptions>>().Value;
    }
}
