using DataRights.Core.Sources.Registry;
using Microsoft.Extensions.Options;

namespace DataRights.Agent;

/// <summary>Checks at start what data annotations cannot: one way to Service Bus, an HTTPS pipeline address, and every source registration.</summary>
internal sealed class AgentOptionsValidator(IOptions<AgentSourcesOptions> sources) : IValidateOptions<AgentOptions>
{
    public ValidateOptionsResult Validate(string? name, AgentOptions options)
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(options.ServiceBus.ConnectionString) == string.IsNullOrWhiteSpace(options.ServiceBus.FullyQualifiedNamespace))
        {
            problems.Add($"Set exactly one of {AgentOptions.Section}:ServiceBus:ConnectionString (in the environment) and {AgentOptions.Section}:ServiceBus:FullyQualifiedNamespace.");
        }

        if (options.PipelineUrl is not { IsAbsoluteUri: true } url || (url.Scheme != Uri.UriSchemeHttps && !(options.AllowHttpCallbacks && url.Scheme == Uri.UriSchemeHttp)))
        {
            problems.Add($"{AgentOptions.Section}:PipelineUrl must be the pipeline's https:// address.");
        }

        var registrations = sources.Value.Registered;
        var rules = new SecretReferenceRules(sources.Value.EnvironmentPrefix, SecretReferenceRules.DefaultKeyVaultNamePrefix, KeyVaultConfigured: false);
        for (var i = 0; i < registrations.Count; i++)
        {
            var r = registrations[i];
            problems.AddRange(SourceRegistrationValidator.Validate(r, AgentSourcesOptions.ConnectorTypes, rules)
                .Select(e => $"{AgentSourcesOptions.Section}:Registered:{i} ({r.Key}): {e.Key}: {string.Join(" ", e.Value)}"));
        }

        if (registrations.Count == 0)
        {
            problems.Add($"Register at least one source under {AgentSourcesOptions.Section}:Registered.");
        }

        if (registrations.Select(r => r.Key).Distinct(StringComparer.Ordinal).Count() != registrations.Count)
        {
            problems.Add($"{AgentSourcesOptions.Section}:Registered: two sources have the same key.");
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
