using DataRights.Core.Email;
using DataRights.Email.SendGrid;
using DataRights.Email.SendGrid.SentLog;
using DataRights.Host.Hosting;
using Microsoft.Extensions.Options;

namespace DataRights.Host.Email;

public static class EmailServiceCollectionExtensions
{
    public const string ProviderKey = "DataRights:Email:Provider";

    /// <summary>
    /// The mail adapter by configuration: <c>outbox</c> (default: .eml files in the data folder) or
    /// <c>sendgrid</c> (SendGrid's client library; settings under <c>DataRights:SendGrid</c>, the API key from a
    /// Key Vault reference; sent messages logged so none goes twice: in <c>data/sent-messages.db</c>, or on Table storage with
    /// <c>azure-tables</c>, where every instance shares the log).
    /// </summary>
    public static IServiceCollection AddEmailSender(this IServiceCollection services, IConfiguration configuration)
    {
        var provider = (configuration[ProviderKey] ?? "outbox").ToLowerInvariant();
        if (provider == "sendgrid")
        {
            // The SendGrid settings are checked at start only when SendGrid is the chosen adapter.
            services.AddSendGridEmailSender("DataRights:SendGrid").ConfigureHttpClient(c => c.Timeout = TimeSpan.FromSeconds(30));
            services.AddSingleton<ISentMessageLog>(sp => new SqliteSentMessageLog(
                Path.Combine(Path.GetFullPath(sp.GetRequiredService<IOptions<DataRightsOptions>>().Value.DataDirectory), "sent-messages.db"),
                sp.GetRequiredService<TimeProvider>()));
            return services;
        }

        if (provider != "outbox")
        {
            throw new InvalidOperationException($"{ProviderKey} must be 'outbox' or 'sendgrid', not '{provider}'.");
        }

        services.AddSingleton<IEmailSender>(sp => sp.GetRequiredService<FileMailOutbox>());
        return services;
    }
}
