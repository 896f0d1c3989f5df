using DataRights.Core.Email;
using DataRights.Email.SendGrid;
using DataRights.Email.SendGrid.SentLog;

namespace DataRights.Host.Email;

public static class EmailServiceCollectionExtensions
{
    public const string ProviderKey = "DataRights:Email:Provider";

    /// <summary>
    /// The mail adapter by configuration: <c>outbox</c> (default: .eml files in the data folder) or
    /// <c>sendgrid</c> (SendGrid's client library; settings under <c>DataRights:SendGrid</c>, the API key from a
    /// Key Vault reference; sent messages logged on Table storage, shared by every instance, so none goes twice).
    /// Either way a copy of each message about one request is kept, without its links (<see cref="CopyKeepingEmailSender"/>).
    /// </summary>
    public static IServiceCollection AddEmailSender(this IServiceCollection services, IConfiguration configuration)
    {
        var provider = (configuration[ProviderKey] ?? "outbox").ToLowerInvariant();
        if (provider == "sendgrid")
        {
            // The SendGrid settings are checked at start only when SendGrid is the chosen adapter.
            services.AddSendGridEmailAdapter("DataRights:SendGrid").ConfigureHttpClient(c => c.Timeout = TimeSpan.FromSeconds(30));
            services.AddSingleton<ISentMessageLog, TableSentMessageLog>();
            return services.AddSingleton<IEmailSender>(sp => CopyKeepingEmailSender.Around(sp.GetRequiredService<SendGridEmailSender>(), sp));
        }

        if (provider != "outbox")
        {
            throw new InvalidOperationException($"{ProviderKey} must be 'outbox' or 'sendgrid', not '{provider}'.");
        }

        return services.AddSingleton<IEmailSender>(sp => CopyKeepingEmailSender.Around(sp.GetRequiredService<FileMailOutbox>(), sp));
    }
}
