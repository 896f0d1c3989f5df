using DataRights.Email.SendGrid;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace DataRights.Email.Tests;

public sealed class SendGridOptionsTests
{
    [Fact]
    public void Defaults_AreTheDocumentedOnes()
    {
        var options = new SendGridOptions();

        Assert.Equal(new Uri("https://api.sendgrid.com/"), options.BaseAddress);
        Assert.Equal(5, options.MaxAttempts);
        Assert.Equal(TimeSpan.FromSeconds(60), options.MaxRetryDelay);
        Assert.Equal(TimeSpan.FromSeconds(1), options.InitialRetryDelay);
        Assert.Equal(TimeSpan.FromMinutes(2), options.SendHold);
    }

    [Theory]
    [InlineData("https://api.sendgrid.com/", true)]
    [InlineData("https://api.eu.sendgrid.com/", true)]
    [InlineData("http://127.0.0.1:5000/", true)]
    [InlineData("http://localhost:5000/", true)]
    [InlineData("http://api.sendgrid.com/", false)]
    public void Validate_BaseAddress_HttpsOrLoopbackOnly(string address, bool valid)
    {
        var result = new SendGridOptionsValidator().Validate(null, Valid(o => o.BaseAddress = new Uri(address)));

        Assert.Equal(valid, result.Succeeded);
    }

    [Fact]
    public void Validate_InitialDelayAboveCap_Fails()
    {
        var result = new SendGridOptionsValidator().Validate(null, Valid(o =>
        {
            o.InitialRetryDelay = TimeSpan.FromSeconds(10);
            o.MaxRetryDelay = TimeSpan.FromSeconds(5);
        }));

        Assert.False(result.Succeeded);
    }

    [Theory]
    [InlineData("SendGrid:ApiKey", "")]
    [InlineData("SendGrid:FromEmail", "not-an-address")]
    [InlineData("SendGrid:MaxAttempts", "0")]
    [InlineData("SendGrid:BaseAddress", "http://api.sendgrid.com/")]
    [InlineData("SendGrid:MaxRetryDelay", "00:00:00")]
    [InlineData("SendGrid:SendHold", "00:00:05")]
    [InlineData("SendGrid:SendHold", "02:00:00")]
    public void AddSendGridEmailSender_InvalidSetting_FailsValidationWithoutLeakingTheKey(string key, string value)
    {
        var settings = new Dictionary<string, string?>
        {
            ["SendGrid:ApiKey"] = "secret-key-value",
            ["SendGrid:FromEmail"] = "privacy@example.com",
            [key] = value,
        };
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddSendGridEmailSender();
        using var provider = services.BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<SendGridOptions>>().Value);

        Assert.DoesNotContain("secret-key-value", ex.Message, StringComparison.Ordinal);
    }

    private static SendGridOptions Valid(Action<SendGridOptions> change)
    {
        var options = new SendGridOptions { ApiKey = "k", FromEmail = "privacy@example.com" };
        change(options);
        return options;
    }
}
