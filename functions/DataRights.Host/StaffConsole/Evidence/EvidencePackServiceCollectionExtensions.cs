using Microsoft.Extensions.DependencyInjection.Extensions;

namespace DataRights.Host.StaffConsole.Evidence;

public static class EvidencePackServiceCollectionExtensions
{
    /// <summary>The evidence pack builder (the pages render it with <see cref="EvidencePackHtml"/> and <see cref="EvidencePackPdf"/>).</summary>
    public static IServiceCollection AddEvidencePack(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<EvidencePackBuilder>();
        return services;
    }
}
