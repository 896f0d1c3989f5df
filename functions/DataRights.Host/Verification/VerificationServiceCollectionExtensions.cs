using Microsoft.Extensions.Options;

namespace DataRights.Host.Verification;

public static class VerificationServiceCollectionExtensions
{
    /// <summary>Verification levels and data points (<c>DataRights:Verification</c>), the keyed hasher and the per-address attempt limit.</summary>
    public static IServiceCollection AddVerification(this IServiceCollection services)
    {
        services.AddOptions<VerificationOptions>().BindConfiguration(VerificationOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<VerificationOptions>, VerificationOptionsValidator>();
        services.AddSingleton<DataPointHasher>();
        services.AddSingleton<VerificationAttemptLimiter>();
        return services;
    }
}
