using DataRights.Core.Email;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace DataRights.Email.SendGrid;

public static class SendGridServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="SendGridEmailSender"/> as the <see cref="IEmailSender"/>, with options bound from
    /// <paramref name="configSectionPath"/> and validated on start. The caller registers an
    /// <see cref="SentLog.ISentMessageLog"/> (on Table storage in the host, shared by every instance).
    /// Returns the named HttpClient's builder, for handlers or timeouts.
    /// </summary>
    public static IHttpClientBuilder AddSendGridEmailSender(this IServiceCollection services, string configSectionPath = SendGridOptions.SectionName)
    {
        var client = services.AddSendGridEmailAdapter(configSectionPath);
        services.AddSingleton<IEmailSender>(sp => sp.GetRequiredService<SendGridEmailSender>());
        return client;
    }

    /// <summary>
    /// As <see cref="AddSendGridEmailSender"/>, but registers <see cref="SendGridEmailSender"/> only as itself: for a
    /// host that registers the <see cref="IEmailSender"/> port as a wrapper around it.
    /// </summary>
    public static IHttpClientBuilder AddSendGridEmailAdapter(this IServiceCollection services, string configSectionPath = SendGridOptions.SectionName)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<SendGridOptions>()
            .BindConfiguration(configSectionPath)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SendGridOptions>, SendGridOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<SendGridEmailSender>();
        return services.AddHttpClient(SendGridEmailSender.HttpClientName);
    }
}
