using System.Globalization;
using DataRights.Core.Deadlines;
using DataRights.Core.Requests;
using DataRights.Host.Hosting;
using DataRights.Integration.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Options;

namespace DataRights.Integration.Tests.Hosting;

public sealed class HostingTests
{
    private static readonly HostingEnvironment Development = new() { EnvironmentName = Environments.Development };

    [Fact]
    public void Urls_StandAloneWithoutSettings_DefaultToPort7071()
    {
        var builder = WebApplication.CreateBuilder([]);

        builder.UseDataRightsUrls();

        Assert.Equal("http://localhost:7071", builder.WebHost.GetSetting(WebHostDefaults.ServerUrlsKey));
    }

    [Theory]
    [InlineData("DataRights:DefaultJurisdiction", "Narnia")]
    [InlineData("DataRights:PrivacyContactEmail", "not an email")]
    [InlineData("DataRights:StatusLinkKey", "c2hvcnQ=")]
    [InlineData("DataRights:Deadlines:Regimes:UK:TimeZoneId", "Mars/Olympus_Mons")]
    [InlineData("DataRights:Deadlines:UkLocation", "cornwall")]
    [InlineData("DataRights:Deadlines:EuMemberState", "MT")]
    [InlineData("DataRights:Deadlines:EuMemberState", "scotland")]
    [InlineData("DataRights:Intake:PerClientPermitLimit", "0")]
    public void Options_InvalidSetting_IsRefusedNamingIt(string key, string value)
    {
        // The same registration Program.cs uses; ValidateOnStart runs these validators before the server starts.
        // (Through WebApplicationFactory a failed start races with the factory's own disposal.)
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [key] = value }).Build();
        using var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddSingleton<IHostEnvironment>(Development).AddDataRightsOptions().BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<DataRightsOptions>>().Value);

        Assert.Contains(key.Split(':')[^1], error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_TwoLinkKeysWithoutSayingWhichSigns_AreRefused()
    {
        var key = Convert.ToBase64String(new byte[32]);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["DataRights:LinkKeys:k9"] = key, ["DataRights:LinkKeys:k10"] = key }).Build();
        using var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddSingleton<IHostEnvironment>(Development).AddDataRightsOptions().BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<DataRightsOptions>>().Value);

        Assert.Contains("ActiveLinkKeyId", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_Defaults_AreValid()
    {
        var configuration = new ConfigurationBuilder().Build();
        using var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddSingleton<IHostEnvironment>(Development).AddDataRightsOptions().BuildServiceProvider();

        Assert.Equal("UK", services.GetRequiredService<IOptions<DataRightsOptions>>().Value.DefaultJurisdiction);
    }

    [Fact]
    public async Task Options_RegimeOverride_ChangesTheDueDate()
    {
        using var factory = new DataRightsFactory(settings: new Dictionary<string, string?>
        {
            ["DataRights:Deadlines:Regimes:OTHER:Days"] = "10",
        });
        using var client = factory.CreateClient();

        using var response = await client.PostJsonAsync(new { type = "access", email = "o@example.com", fullName = "O Ther", jurisdiction = "OTHER" });

        Assert.Equal(new DateOnly(2026, 11, 12), (await factory.Services.WaitingRequestAsync("o@example.com")).Deadline.DueOn);
    }

    [Theory]
    [InlineData(null, null, "2026-11-30", "2026-10-26")]
    [InlineData("scotland", null, "2026-12-01", "2026-10-26")] // St Andrew's Day.
    [InlineData("northern-ireland", "IE", "2026-11-30", "2026-10-27")] // Ireland's October bank holiday.
    [InlineData(null, "ie", "2026-11-30", "2026-10-27")]
    public void Options_ControllerLocation_PicksTheHolidayCalendar(string? ukLocation, string? euMemberState, string ukDue, string euDue)
    {
        var options = new DeadlineOptions { EuMemberState = euMemberState };
        if (ukLocation is not null)
        {
            options.UkLocation = ukLocation;
        }

        Assert.Empty(DeadlineConfiguration.Validate(options));
        var regimes = DeadlineConfiguration.BuildRegimes(options);
        var calculator = new DeadlineCalculator(DeadlineConfiguration.BuildCalendars(options));

        Assert.Equal(DateOnly.Parse(ukDue, CultureInfo.InvariantCulture), calculator.DueFrom(regimes.For(Jurisdiction.UK), new DateOnly(2026, 10, 30)));
        Assert.Equal(DateOnly.Parse(euDue, CultureInfo.InvariantCulture), calculator.DueFrom(regimes.For(Jurisdiction.EU), new DateOnly(2026, 9, 26)));
    }

    [Fact]
    public void Options_MemberState_DatesReceiptOnItsOwnClock()
    {
        // 23:30 in Dublin on 30 June is 00:30 on 1 July in Brussels: received 30 June, due Thursday 30 July (not 1 August,
        // moved past the Irish August bank holiday to 4 August).
        var options = new DeadlineOptions { EuMemberState = "ie" };
        var regime = DeadlineConfiguration.BuildRegimes(options).For(Jurisdiction.EU);
        var calculator = new DeadlineCalculator(DeadlineConfiguration.BuildCalendars(options));

        var received = DeadlineCalculator.LocalDate(regime, new DateTimeOffset(2026, 6, 30, 22, 30, 0, TimeSpan.Zero));

        Assert.Equal(("Europe/Dublin", new DateOnly(2026, 6, 30)), (regime.TimeZoneId, received));
        Assert.Equal(new DateOnly(2026, 7, 30), calculator.DueFrom(regime, received));
        Assert.All(DeadlineConfiguration.MemberStateTimeZones.Values, zone => Assert.True(TimeZoneInfo.TryFindSystemTimeZoneById(zone, out _), zone));
    }

    [Fact]
    public void Options_MemberStateWithConfiguredDates_UsesThem()
    {
        // Malta has no built-in calendar: its dates come from configuration.
        var options = new DeadlineOptions { EuMemberState = "MT" };
        options.Holidays["mt"] = new HolidayCalendarOptions { Add = [new DateOnly(2026, 10, 26)] };

        Assert.Empty(DeadlineConfiguration.Validate(options));
        var calculator = new DeadlineCalculator(DeadlineConfiguration.BuildCalendars(options));

        Assert.Equal(new DateOnly(2026, 10, 27), calculator.DueFrom(DeadlineConfiguration.BuildRegimes(options).For(Jurisdiction.EU), new DateOnly(2026, 9, 26)));
    }

    [Theory]
    [InlineData("http://localhost:5123", "http://localhost:5123")]
    [InlineData("http://*:5124", "http://localhost:5124")]
    [InlineData("http://0.0.0.0:5125/;https://localhost:5126", "http://localhost:5125")]
    [InlineData("http://[::]:5127", "http://localhost:5127")]
    [InlineData("https://demo.example:8443", "https://demo.example:8443")]
    public void Urls_TryOutOnAnotherAddress_EmailedLinksPointThere(string urls, string linkBase)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = ["--urls=" + urls], EnvironmentName = "Development" });

        builder.UseDataRightsUrls();

        Assert.Equal(linkBase, builder.Configuration["DataRights:PublicBaseUrl"]);
    }

    [Theory]
    [InlineData("http://0.0.0.0:5123")]
    [InlineData("http://*:5123")]
    [InlineData("http://+:5123")]
    [InlineData("http://[::]:5123")]
    [InlineData("http://localhost:5123;http://192.168.1.20:5124")]
    [InlineData("http://demo.example:5123")]
    public void Urls_DevSignInOnAnAddressOthersReach_RefusesToStart(string urls)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = ["--urls=" + urls, "--DataRights:DevSignIn=true"], EnvironmentName = "Development" });

        var refused = Assert.Throws<InvalidOperationException>(() => builder.UseDataRightsUrls());

        Assert.Contains("DataRights:DevSignIn", refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://localhost:5123")]
    [InlineData("http://127.0.0.1:5123;https://localhost:5124")]
    [InlineData("http://[::1]:5123")]
    public void Urls_DevSignInOnThisMachineOnly_Starts(string urls)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = ["--urls=" + urls, "--DataRights:DevSignIn=true"], EnvironmentName = "Development" });

        builder.UseDataRightsUrls();

        Assert.StartsWith(urls.Split(';')[0], builder.Configuration["DataRights:PublicBaseUrl"], StringComparison.Ordinal);
    }

    [Fact]
    public void Urls_PublicBaseUrlSetOrNotDevelopment_AreLeftAsConfigured()
    {
        var configured = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = ["--urls=http://localhost:5123", "--DataRights:PublicBaseUrl=https://privacy.example"], EnvironmentName = "Development",
        });
        var production = WebApplication.CreateBuilder(new WebApplicationOptions { Args = ["--urls=http://localhost:5123"], EnvironmentName = "Production" });

        configured.UseDataRightsUrls();
        production.UseDataRightsUrls();

        Assert.Equal("https://privacy.example", configured.Configuration["DataRights:PublicBaseUrl"]);
        Assert.Null(production.Configuration["DataRights:PublicBaseUrl"]);
    }
}
