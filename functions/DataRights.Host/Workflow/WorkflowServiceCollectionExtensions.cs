using DataRights.Core.Sources;
using DataRights.Host.Email;
using DataRights.Host.Links;
using DataRights.Host.Sources;

namespace DataRights.Host.Workflow;

public static class WorkflowServiceCollectionExtensions
{
    /// <summary>The workflow: engine, the work items' handlers and their runner (the request orchestrations' steps call it), sources, mail.</summary>
    public static IServiceCollection AddWorkflow(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<WorkflowOptions>().BindConfiguration(WorkflowOptions.Section)
            .PostConfigure(o =>
            {
                if (o.Approvers.Count == 0)
                {
                    o.Approvers.Add(WorkflowOptions.ExampleApprover);
                }
            })
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<SourcesOptions>().BindConfiguration(SourcesOptions.Section).ValidateOnStart();
        services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<SourcesOptions>, SourcesOptionsValidator>();
        services.AddSingleton<WorkflowEngine>();
        services.AddSingleton<SourceAddresses>();
        services.AddSingleton<SourceRules>();
        services.AddHttpClient("connectors").ConfigurePrimaryHttpMessageHandler(sp => sp.GetRequiredService<SourceAddresses>().CreateHandler());
        services.AddOptions<KeyVaultOptions>().BindConfiguration(KeyVaultOptions.Section);
        services.AddSingleton(sp => new KeyVaultSecrets(
            sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<KeyVaultOptions>>(),
            sp.GetService<Azure.Core.TokenCredential>(),
            sp.GetService<Azure.Security.KeyVault.Secrets.SecretClientOptions>()));
        services.AddSingleton<SourceRegistry>();
        services.AddSingleton<IDataSourceRegistry>(sp => sp.GetRequiredService<SourceRegistry>());
        services.AddHostedService<SourceRegistryInitializer>();
        services.AddSingleton<LinkTokens>();
        services.AddSingleton(sp => new MessageTemplates(
            sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<Hosting.DataRightsOptions>>().Value.EmailTemplatesDirectory is { Length: > 0 } folder
                ? folder
                : MessageTemplates.DefaultDirectory));
        services.AddSingleton<MessageComposer>();
        services.AddSingleton<LinkContext>();
        services.AddSingleton<ManualTasks>();
        services.AddSingleton<ConnectorCallbacks>();
        services.AddSingleton<FileMailOutbox>();
        services.AddEmailSender(configuration);
        services.AddSingleton<IWorkHandler, MessageWorkHandler>();
        // A source's search and its carrying out run as the orchestration's own steps (Durable.RunSourceStepActivity), and as
        // the work items written before they were.
        services.AddSingleton<SearchSourceStep>();
        services.AddSingleton<CarryOutAtSourceStep>();
        services.AddSingleton<IWorkHandler, SuppressionWorkHandler>();
        services.AddSingleton<IWorkHandler, UnrestrictWorkHandler>();
        services.AddSingleton<Exports.ExportFiles>();
        services.AddSingleton<Exports.ExportPackager>();
        services.AddSingleton<IWorkHandler, Exports.ExportWorkHandler>();
        services.AddSingleton<Scheduling.IScheduledJob, Scheduling.OverdueDigestJob>();
        services.AddSingleton<Scheduling.JobScheduler>();
        services.AddSingleton<WorkItemRunner>();
        return services;
    }
}
