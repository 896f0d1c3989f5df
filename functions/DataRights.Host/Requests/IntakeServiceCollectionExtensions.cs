namespace DataRights.Host.Requests;

public static class IntakeServiceCollectionExtensions
{
    public static IServiceCollection AddIntake(this IServiceCollection services)
    {
        services.AddSingleton<StatusLinks>();
        services.AddSingleton<Http.RateLimitLog>();
        services.AddSingleton<IntakeRateLimiter>();
        services.AddSingleton<AddressGate>();
        services.AddScoped<IntakeService>();
        return services;
    }
}
