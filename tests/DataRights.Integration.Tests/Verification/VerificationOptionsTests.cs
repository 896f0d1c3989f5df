using DataRights.Core.Requests;
using DataRights.Core.Verification;
using DataRights.Host.Verification;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace DataRights.Integration.Tests.Verification;

/// <summary><c>DataRights:Verification</c>: the defaults, overrides over them, and settings refused at start naming themselves.</summary>
public sealed class VerificationOptionsTests
{
    [Fact]
    public void Options_Nothing_GiveTheDefaultPolicyAndFourDetails()
    {
        var options = Options([]);

        Assert.Equal(VerificationPolicy.Default.Levels, options.ToPolicy().Levels);
        Assert.Equal(["phone", "postcode", "accountNumber", "lastInvoiceAmount"], options.Definitions().Select(d => d.Name));
    }

    [Fact]
    public void Options_Overrides_ChangeOnlyWhatTheyName()
    {
        var policy = Options(new()
        {
            ["DataRights:Verification:Levels:UK:access:DataPoints"] = "1",
            ["DataRights:Verification:Levels:US-CA:erasure:DataPoints"] = "3",
            ["DataRights:Verification:Levels:US-CA:erasure:Declaration"] = "true",
            ["DataRights:Verification:Declarations:UK"] = "I am who I say I am.",
            ["DataRights:Verification:MaxAttemptsPerRequest"] = "3",
        }).ToPolicy();

        Assert.Equal(new VerificationLevel(1, false), policy.For(Jurisdiction.UK, RequestType.Access));
        Assert.Equal(new VerificationLevel(3, true), policy.For(Jurisdiction.UsCa, RequestType.Erasure));
        Assert.Equal(new VerificationLevel(3, true), policy.For(Jurisdiction.UsCa, RequestType.Access));
        Assert.Equal("I am who I say I am.", policy.DeclarationText(Jurisdiction.UK));
        Assert.Contains("penalty of perjury", policy.DeclarationText(Jurisdiction.UsCa), StringComparison.Ordinal);
        Assert.Equal(3, policy.MaxAttempts);
    }

    [Theory]
    [InlineData("DataRights:Verification:Levels:Narnia:access:DataPoints", "1", "Levels:Narnia")]
    [InlineData("DataRights:Verification:Levels:UK:forgetting:DataPoints", "1", "Levels:UK:forgetting")]
    [InlineData("DataRights:Verification:Levels:UK:access:DataPoints", "5", "Levels:UK:access:DataPoints")]
    [InlineData("DataRights:Verification:DataPoints:shoe size:Label", "Shoe size", "DataPoints:shoe size")]
    [InlineData("DataRights:Verification:MaxAttemptsPerRequest", "0", "MaxAttemptsPerRequest")]
    [InlineData("DataRights:Verification:Declarations:Narnia", "I am.", "Declarations:Narnia")]
    public void Options_InvalidSetting_IsRefusedNamingIt(string key, string value, string named)
    {
        var error = Assert.Throws<OptionsValidationException>(() => Options(new() { [key] = value }));

        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_ConfiguredDetailsReplaceTheDefaults_AndALevelMayNotAskForMoreThanOffered()
    {
        var error = Assert.Throws<OptionsValidationException>(() => Options(new()
        {
            ["DataRights:Verification:DataPoints:postcode:Label"] = "Postcode",
            ["DataRights:Verification:DataPoints:postcode:Field"] = "postcode",
        }));

        // The default California levels ask for 3 and 2 details; one is offered.
        Assert.Contains("Levels", error.Message, StringComparison.Ordinal);
    }

    private static VerificationOptions Options(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        using var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddVerification().BuildServiceProvider();
        return services.GetRequiredService<IOptions<VerificationOptions>>().Value;
    }
}
