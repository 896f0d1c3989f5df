using DataRights.Core.Email;
using DataRights.Core.Workflow;
using DataRights.Email.SendGrid;
using DataRights.Email.SendGrid.SentLog;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace DataRights.Email.Tests;

/// <summary>The adapter wired the way the host wires it (AddSendGridEmailSender), against a given SendGrid address.</summary>
internal sealed class SenderHarness : IDisposable
{
    public const string ApiKey = "test-key";
    public const string FromEmail = "privacy@example.com";
    public const string FromName = "Example Privacy Team";
    public static readonly DateTimeOffset Start = new(2025, 3, 10, 9, 0, 0, TimeSpan.Zero);

    private readonly ServiceProvider _provider;

    public SenderHarness(Uri baseAddress, ISentMessageLog? sentLog = null, IDictionary<string, string?>? settings = null)
    {
        var values = new Dictionary<string, string?>
        {
            ["SendGrid:ApiKey"] = ApiKey,
            ["SendGrid:FromEmail"] = FromEmail,
            ["SendGrid:FromName"] = FromName,
            ["SendGrid:BaseAddress"] = baseAddress.ToString(),
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }

        SentLog = sentLog ?? new InMemorySentMessageLog();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(values).Build());
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(Logs));
        services.AddSingleton<TimeProvider>(Time);
        services.AddSingleton(SentLog);
        services.AddSendGridEmailSender()
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { UseProxy = false });
        _provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    public RecordingTimeProvider Time { get; } = new(Start);

    public CapturingLoggerProvider Logs { get; } = new();

    public ISentMessageLog SentLog { get; }

    public IEmailSender Sender => _provider.GetRequiredService<IEmailSender>();

    public static EmailMessage Message(string id = "req-7f3a:msg:verify") => new(
        id,
        "req-7f3a",
        "ada.lovelace@example.org",
        "Please confirm your request DR-2025-0042",
        "Hello Ada, please confirm: https://dr.example.com/verify/tok-123",
        """<p>Hello Ada, please <a href="https://dr.example.com/verify/tok-123">confirm</a>.</p>""",
        ["https://dr.example.com/verify/tok-123"],
        MessageKind.Verification);

    public void Dispose() => _provider.Dispose();
}
