using System.Text.Json;
using System.Text.RegularExpressions;
using DataRights.Host.Hosting;
using DataRights.Integration.Tests.FunctionApp;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting.Internal;

namespace DataRights.Integration.Tests.Azure;

/// <summary>
/// Static checks of the templates, beside their compilation (./test.sh compiles them with the Bicep CLI:
/// tools/bicep/build.sh): parameter files against main.bicep, module paths and required module parameters, the
/// security settings the design asks for, and that every DataRights app setting the template sets is one the program
/// documents, which the compiler cannot know.
/// </summary>
public sealed partial class InfraTemplateTests
{
    private static readonly string Infra = Path.Combine(RepositoryRoot(), "infra");

    private static readonly string[] RegionNames = ["eastus", "westus", "westeurope"];

    public static TheoryData<string> Regions() => new(RegionNames);

    [Theory]
    [MemberData(nameof(Regions))]
    public void ParameterFile_SetsOnlyDeclaredParametersAndEveryRequiredOne(string region)
    {
        var main = File.ReadAllText(Path.Combine(Infra, "main.bicep"));
        var declared = Params(main);
        var file = File.ReadAllText(Path.Combine(Infra, "parameters", region + ".bicepparam"));
        var given = ParamValue().Matches(file).ToDictionary(m => m.Groups["name"].Value, m => m.Groups["value"].Value.Trim());

        Assert.Contains("using '../main.bicep'", file, StringComparison.Ordinal);
        Assert.All(given.Keys, p => Assert.True(declared.ContainsKey(p), $"{region}.bicepparam sets '{p}', which main.bicep does not declare"));
        Assert.All(declared.Where(p => !p.Value), p => Assert.Contains(p.Key, given.Keys));
        Assert.Equal($"'{region}'", given["location"]);
        Assert.Equal($"'{region}'", given["dataRegion"]);
        Assert.Contains("digestTimeZone", given.Keys);
    }

    [Theory]
    [MemberData(nameof(Regions))]
    public void ParameterFile_DigestSettings_AreOnesTheFunctionAppStartsWith(string region)
    {
        // The Function App validates its settings at start: a region's zone its digest timer cannot serve stops every function there.
        // main.bicep sets the zone per region (DataRights__Workflow__DigestTimeZone); the schedule is the program's default.
        var zone = ParamValue().Matches(File.ReadAllText(Path.Combine(Infra, "parameters", region + ".bicepparam")))
            .Single(m => m.Groups["name"].Value == "digestTimeZone").Groups["value"].Value.Trim().Trim('\'');
        var options = new DataRights.Host.Workflow.WorkflowOptions { DigestTimeZone = zone };

        var result = new DataRights.Functions.Timers.DigestTimerValidator().Validate(null, options);

        Assert.True(result.Succeeded, result.FailureMessage);
    }

    [Fact]
    public void ParameterFiles_AreOnePerRegion_EachInItsOwnTimeZone()
    {
        var files = Directory.GetFiles(Path.Combine(Infra, "parameters")).Select(Path.GetFileName).Order(StringComparer.Ordinal);
        var zones = RegionNames.ToDictionary(
            r => r,
            r => ParamValue().Matches(File.ReadAllText(Path.Combine(Infra, "parameters", r + ".bicepparam")))
                .Single(m => m.Groups["name"].Value == "digestTimeZone").Groups["value"].Value.Trim());

        Assert.Equal(["eastus.bicepparam", "westeurope.bicepparam", "westus.bicepparam"], files);
        Assert.Equal("'America/New_York'", zones["eastus"]);
        Assert.Equal("'America/Los_Angeles'", zones["westus"]);
        Assert.Equal("'Europe/Amsterdam'", zones["westeurope"]);
    }

    [Fact]
    public void ServiceBus_HasTheEventsTopicAndAgentQueues_AndNoLongerTheWorkItemsQueue()
    {
        var main = File.ReadAllText(Path.Combine(Infra, "main.bicep"));
        var serviceBus = File.ReadAllText(Path.Combine(Infra, "modules", "servicebus.bicep"));

        Assert.Contains("Microsoft.ServiceBus/namespaces/topics@", serviceBus, StringComparison.Ordinal);
        Assert.Contains("name: 'events'", serviceBus, StringComparison.Ordinal);
        Assert.Contains("for agent in agents", serviceBus, StringComparison.Ordinal);
        Assert.DoesNotContain("work-items", main + serviceBus, StringComparison.Ordinal);
    }

    [Fact]
    public void AzureYaml_DeploysTheFunctionApp_WithTheBicepInInfra()
    {
        var yaml = File.ReadAllText(Path.Combine(RepositoryRoot(), "azure.yaml"));
        var functionApp = File.ReadAllText(Path.Combine(Infra, "modules", "functionapp.bicep"));

        Assert.Matches(@"(?m)^\s+project: \./functions/DataRights\.Functions\s*$", yaml);
        Assert.Matches(@"(?m)^\s+language: dotnet\s*$", yaml);
        Assert.Matches(@"(?m)^\s+host: function\s*$", yaml);
        Assert.Matches(@"(?m)^\s+provider: bicep\s*$", yaml);
        Assert.True(File.Exists(Path.Combine(Infra, "main.bicepparam")), "azd reads infra/main.bicepparam");
        Assert.Contains("'azd-service-name': 'api'", functionApp, StringComparison.Ordinal);
    }

    [Fact]
    public void Modules_ExistAndGetEveryRequiredParameter()
    {
        var main = File.ReadAllText(Path.Combine(Infra, "main.bicep"));
        var modules = ModuleBlock().Matches(main);

        Assert.Equal(6, modules.Count);
        foreach (Match module in modules)
        {
            var path = Path.Combine(Infra, module.Groups["path"].Value);
            Assert.True(File.Exists(path), $"module file {path} is missing");
            var block = Block(main, module.Index + module.Length - 1);
            foreach (var (name, _) in Params(File.ReadAllText(path)).Where(p => !p.Value))
            {
                Assert.Matches(new Regex($@"\b{name}\s*:"), block);
            }
        }
    }

    [Fact]
    public void Templates_HaveTheSecuritySettingsTheDesignAsksFor()
    {
        var storage = File.ReadAllText(Path.Combine(Infra, "modules", "storage.bicep"));
        var serviceBus = File.ReadAllText(Path.Combine(Infra, "modules", "servicebus.bicep"));
        var keyVault = File.ReadAllText(Path.Combine(Infra, "modules", "keyvault.bicep"));
        var functionApp = File.ReadAllText(Path.Combine(Infra, "modules", "functionapp.bicep"));

        Assert.Contains("allowSharedKeyAccess: false", storage, StringComparison.Ordinal);
        Assert.Contains("0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3", storage, StringComparison.Ordinal); // Storage Table Data Contributor
        Assert.Contains("requiresDuplicateDetection: true", serviceBus, StringComparison.Ordinal);
        Assert.Contains("deadLetteringOnMessageExpiration: true", serviceBus, StringComparison.Ordinal);
        Assert.Contains("maxDeliveryCount: maxDeliveryCount", serviceBus, StringComparison.Ordinal);
        Assert.Contains("enableRbacAuthorization: true", keyVault, StringComparison.Ordinal);
        Assert.Contains("tier: 'FlexConsumption'", functionApp, StringComparison.Ordinal);
        Assert.Contains("name: 'dotnet-isolated'", functionApp, StringComparison.Ordinal);
        Assert.Contains("version: '10.0'", functionApp, StringComparison.Ordinal);
        Assert.Contains("kind: 'functionapp,linux'", functionApp, StringComparison.Ordinal);
    }

    [Fact]
    public void AppSettings_TheTemplateSets_AreOnesTheProgramDocuments()
    {
        var main = File.ReadAllText(Path.Combine(Infra, "main.bicep"));
        var functionApp = File.ReadAllText(Path.Combine(Infra, "modules", "functionapp.bicep"));
        using var sample = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryRoot(), "local.settings.sample.json")));
        var documented = sample.RootElement.GetProperty("Values").EnumerateObject().Select(p => p.Name).ToHashSet();
        var set = AppSetting().Matches(main).Concat(AppSettingAnywhere().Matches(functionApp)).Select(m => m.Groups["key"].Value).Distinct().ToList();

        Assert.NotEmpty(set);
        Assert.Contains("DataRights__PublicBaseUrl", set);
        Assert.All(set, key => Assert.True(documented.Contains(key), $"main.bicep sets {key}, which local.settings.sample.json does not document"));
    }

    [Fact]
    public void AppSettings_OnTableStorage_GiveEveryInstanceTheSameKeys_SoTheProgramStarts()
    {
        var main = File.ReadAllText(Path.Combine(Infra, "main.bicep"));
        var set = AppSetting().Matches(main).Select(m => m.Groups["key"].Value).ToHashSet();

        Assert.Contains("DataRights__Storage__Provider", set);
        Assert.Contains(set, key => key.StartsWith("DataRights__LinkKeys__", StringComparison.Ordinal));
        Assert.Contains("DataRights__StatusLinkKey", set);
        Assert.Contains("DataRights__ExportKey", set);
        Assert.Contains("DataRights__MaskKey", set);
        Assert.Contains("DataRights__Verification__HashKey", set);
        Assert.Contains("DataRights__Storage__BlobEndpoint", set);
    }

    [Theory]
    [InlineData("DataRights__ExportKey", "DATARIGHTS_EXPORT_KEY", "exportKeyReference", "exportKey", "export-key")]
    [InlineData("DataRights__MaskKey", "DATARIGHTS_MASK_KEY", "maskKeyReference", "maskKey", "mask-key")]
    [InlineData("DataRights__Verification__HashKey", "DATARIGHTS_VERIFICATION_HASH_KEY", "verificationHashKeyReference", "verificationHashKey", "verification-hash-key")]
    public void AppSettings_ReadEachSharedKeyFromTheVault_ThroughAnEnvironmentVariable(string setting, string variable, string output, string secretParameter, string secretName)
    {
        // The program reads these keys as env:NAME; the variable is an app setting that is a Key Vault reference to the
        // vault's secret, which the deployment fills from a secure parameter (or the operator sets).
        var main = File.ReadAllText(Path.Combine(Infra, "main.bicep"));
        var keyVault = File.ReadAllText(Path.Combine(Infra, "modules", "keyvault.bicep"));
        var azdParameters = File.ReadAllText(Path.Combine(Infra, "main.bicepparam"));
        var readme = File.ReadAllText(Path.Combine(Infra, "README.md"));

        Assert.Contains($"{setting}: 'env:{variable}'", main, StringComparison.Ordinal);
        Assert.Contains($"{variable}: keyVault.outputs.{output}", main, StringComparison.Ordinal);
        Assert.Matches($@"(?m)^@secure\(\)\r?\nparam {secretParameter} string = ''$", main);
        Assert.Contains($"{secretParameter}: {secretParameter}", ModuleBlockOf(main, "keyVault"), StringComparison.Ordinal);
        Assert.Matches($@"(?m)^output {output} string = '@Microsoft\.KeyVault\(VaultName=\$\{{vault\.name\}};SecretName=\$\{{secretNames\.\w+\}}\)'$", keyVault);
        Assert.Contains($"'{secretName}'", keyVault, StringComparison.Ordinal);
        Assert.Matches($@"if \(!empty\({secretParameter}\)\)", keyVault);
        Assert.Contains($"param {secretParameter} = readEnvironmentVariable('{variable}', '')", azdParameters, StringComparison.Ordinal);
        Assert.Contains($"{secretParameter}=\"$(openssl rand -base64 32)\"", readme, StringComparison.Ordinal);
        Assert.Contains($"`{variable}`", readme, StringComparison.Ordinal);
    }

    [Fact]
    public void PublicBaseUrl_LeftEmpty_IsTheSitesOwnHttpsAddress_WhichTheProgramStartsWith()
    {
        // azd's parameters leave it empty unless DATARIGHTS_PUBLIC_BASE_URL is set, and outside Development the program
        // refuses to start without an https PublicBaseUrl: an empty parameter must not reach the app setting.
        var main = File.ReadAllText(Path.Combine(Infra, "main.bicep"));
        var functionApp = File.ReadAllText(Path.Combine(Infra, "modules", "functionapp.bicep"));
        var azdParameters = File.ReadAllText(Path.Combine(Infra, "main.bicepparam"));
        var fallback = Regex.Match(functionApp, @"(?m)^var baseUrl = empty\(publicBaseUrl\) \? '(?<fallback>[^']+)' : publicBaseUrl$");

        Assert.Contains("param publicBaseUrl = readEnvironmentVariable('DATARIGHTS_PUBLIC_BASE_URL', '')", azdParameters, StringComparison.Ordinal);
        Assert.DoesNotContain("DataRights__PublicBaseUrl", main, StringComparison.Ordinal);
        Assert.Contains("publicBaseUrl: publicBaseUrl", ModuleBlockOf(main, "functionApp"), StringComparison.Ordinal);
        Assert.True(fallback.Success, "functionapp.bicep does not default an empty publicBaseUrl");
        Assert.Equal("https://${site.properties.defaultHostName}", fallback.Groups["fallback"].Value);
        Assert.Contains("properties: union(appSettings, { DataRights__PublicBaseUrl: baseUrl }, hostSettings)", functionApp, StringComparison.Ordinal);

        // The address it makes passes the check the program runs at start.
        var settings = DataRights.Testing.DeploymentTestSettings.Settings();
        settings["DataRights:PublicBaseUrl"] = fallback.Groups["fallback"].Value.Replace("${site.properties.defaultHostName}", "func-datarights-weu-abc123.azurewebsites.net", StringComparison.Ordinal);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var environment = new HostingEnvironment { EnvironmentName = "Production" };
        var options = new DataRightsOptions { PublicBaseUrl = settings["DataRights:PublicBaseUrl"] };

        var result = new DeploymentSettingsValidator(environment, configuration).Validate(null, options);

        Assert.True(result.Succeeded, result.FailureMessage);
    }

    [Fact]
    public void AppSettings_BelieveTheFunctionsHostsForwardedCaller_SoRateLimitsArePerCaller()
    {
        // The Functions host passes every request to the worker from 127.0.0.1, with the caller in X-Forwarded-For.
        var main = File.ReadAllText(Path.Combine(Infra, "main.bicep"));

        Assert.Contains("DataRights__ForwardedHeaders__KnownProxies__0: '127.0.0.1'", main, StringComparison.Ordinal);
        Assert.Contains("DataRights__ForwardedHeaders__ForwardLimit: '1'", main, StringComparison.Ordinal);
    }

    [Fact]
    public void Monitoring_TheWorkspaceTheAppReportsTo_TransformsRequestsAndTraces_WithItsOwnRule()
    {
        // A workspace transformation applies only to data sent to that workspace: the Function App's Application
        // Insights must be workspace-based on the workspace the rule is linked to.
        var main = File.ReadAllText(Path.Combine(Infra, "main.bicep"));
        var monitoring = File.ReadAllText(Path.Combine(Infra, "modules", "monitoring.bicep"));
        var functionApp = File.ReadAllText(Path.Combine(Infra, "modules", "functionapp.bicep"));
        var workspace = File.ReadAllText(Path.Combine(Infra, "modules", "workspace.bicep"));

        Assert.Contains("appInsightsConnectionString: monitoring.outputs.connectionString", ModuleBlockOf(main, "functionApp"), StringComparison.Ordinal);
        Assert.Contains("APPLICATIONINSIGHTS_CONNECTION_STRING: appInsightsConnectionString", functionApp, StringComparison.Ordinal);
        Assert.Contains("output connectionString string = appInsights.properties.ConnectionString", monitoring, StringComparison.Ordinal);
        Assert.Contains("WorkspaceResourceId: linkedWorkspace.outputs.id", monitoring, StringComparison.Ordinal);
        Assert.Contains("defaultDataCollectionRuleResourceId: transforms.id", ModuleBlockOf(monitoring, "linkedWorkspace"), StringComparison.Ordinal);
        Assert.Contains("defaultDataCollectionRuleResourceId: empty(defaultDataCollectionRuleResourceId) ? null : defaultDataCollectionRuleResourceId", workspace, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^resource transforms 'Microsoft\.Insights/dataCollectionRules@[\d-]+' = \{$", monitoring);
        Assert.Contains("kind: 'WorkspaceTransforms'", monitoring, StringComparison.Ordinal);
        Assert.Contains("{ name: 'workspace', workspaceResourceId: workspace.outputs.id }", monitoring, StringComparison.Ordinal);
        Assert.Contains("{ streams: ['Microsoft-Table-AppRequests'], destinations: ['workspace'], transformKql: requestsTransform }", monitoring, StringComparison.Ordinal);
        Assert.Contains("{ streams: ['Microsoft-Table-AppTraces'], destinations: ['workspace'], transformKql: tracesTransform }", monitoring, StringComparison.Ordinal);
        Assert.Contains("var requestsTransform = '${redactLinkTokens}${requestsQuery}'", monitoring, StringComparison.Ordinal);
        Assert.Contains("var tracesTransform = '${redactLinkTokens}${tracesQuery}'", monitoring, StringComparison.Ordinal);
        Assert.Contains(
            """| extend Url = replace(@"[?#].*$", "", redact(Url)), Name = redact(Name), OperationName = redact(OperationName), Properties = parse_json(redact(tostring(Properties)))""",
            MultiLineString(monitoring, "requestsQuery"),
            StringComparison.Ordinal);
        Assert.Contains("| extend Message = redact(Message), Properties = parse_json(redact(tostring(Properties)))", MultiLineString(monitoring, "tracesQuery"), StringComparison.Ordinal);
    }

    [Fact]
    public void Monitoring_Transformation_TakesTheTokenOutOfEveryLinkRouteOfTheFunctionApp()
    {
        // Every HTTP function whose route has a {token} (found from the functions themselves, so a new link route is
        // covered or this fails), as the Functions host records it: the URL, in any case, and the path in a JSON bag.
        var (redact, stripQuery) = Transformation();
        var tokenRoutes = HttpRoutes().Where(r => r.Contains("{token}", StringComparison.Ordinal)).ToList();
        const string token = "eyJ2IjoxLCJwIjoidmVyaWZ5In0.c2lnbmF0dXJl-_x";

        Assert.Superset(
            new HashSet<string>(["verify/{token}", "approve/{token}", "information/{token}", "task/{token}", "purge-task/{token}", "download/{token}", "status/{token}", "status/{token}/resend", "api/status/{token}", "api/callbacks/{token}"]),
            tokenRoutes.ToHashSet());
        Assert.All(tokenRoutes, route =>
        {
            var path = route.Replace("{token}", token, StringComparison.Ordinal);
            var url = "https://func-datarights-weu-abc.azurewebsites.net/" + path;

            Assert.Equal("https://func-datarights-weu-abc.azurewebsites.net/" + route, stripQuery(redact(url + "?from=email")));
            Assert.DoesNotContain(token, redact(url.ToUpperInvariant()), StringComparison.OrdinalIgnoreCase);
            Assert.Equal($$"""{"HttpMethod":"GET","HttpPath":"/{{route}}"}""", redact($$"""{"HttpMethod":"GET","HttpPath":"/{{path}}"}"""));
        });
    }

    [Fact]
    public void Monitoring_Transformation_LeavesOtherRoutesAsTheyAre()
    {
        var (redact, _) = Transformation();
        var otherRoutes = HttpRoutes().Where(r => !r.Contains("{token}", StringComparison.Ordinal)).ToList();

        Assert.NotEmpty(otherRoutes);
        Assert.All(otherRoutes, route =>
        {
            // Parameters as they come: a staff action named like a link route (approve, verify) ends the path.
            var path = "/" + RouteParameter().Replace(route, m => m.Groups["name"].Value == "action" ? "approve" : "dr_2026_000001");
            Assert.Equal(path, redact(path));
        });
    }

    /// <summary>The routes of the Function App's HTTP functions, as their attributes declare them.</summary>
    private static List<string> HttpRoutes() =>
        [.. FunctionCatalog.Functions.Select(FunctionCatalog.HttpTriggerOf).OfType<Microsoft.Azure.Functions.Worker.HttpTriggerAttribute>().Select(t => t.Route!).Distinct()];

    /// <summary>
    /// The transformation's replace of link tokens (KQL's replace(regex, rewrite, text), RE2) run with .NET's regular
    /// expressions, which read this pattern alike, and its removal of query strings from request URLs.
    /// </summary>
    private static (Func<string, string> Redact, Func<string, string> StripQuery) Transformation()
    {
        var kql = MultiLineString(File.ReadAllText(Path.Combine(Infra, "modules", "monitoring.bicep")), "redactLinkTokens");
        var pattern = Verbatim(Regex.Match(kql, """let tokenPath = @(?<s>"(?:[^"]|"")*");""").Groups["s"].Value);
        var rewrite = Verbatim(Regex.Match(kql, """let redact = \(value: string\) \{ replace\(tokenPath, @(?<s>"(?:[^"]|"")*"), value\) \};""").Groups["s"].Value);
        var dotnetRewrite = Regex.Replace(rewrite, @"\\(\d)", m => "${" + m.Groups[1].Value + "}");
        Assert.Equal("${1}{token}", dotnetRewrite);
        return (value => Regex.Replace(value, pattern, dotnetRewrite), value => Regex.Replace(value, "[?#].*$", string.Empty));
    }

    /// <summary>The text of a KQL verbatim string literal ("..." after its @, a quote doubled inside).</summary>
    private static string Verbatim(string literal)
    {
        Assert.True(literal.Length >= 2, "KQL string literal not found");
        return literal[1..^1].Replace("\"\"", "\"", StringComparison.Ordinal);
    }

    /// <summary>The value of a Bicep multi-line string variable (var NAME = '''...''').</summary>
    private static string MultiLineString(string bicep, string name)
    {
        var match = Regex.Match(bicep, $@"(?ms)^var {name} = '''\r?\n(?<text>.*?)'''$");
        Assert.True(match.Success, $"no multi-line string {name}");
        return match.Groups["text"].Value;
    }

    /// <summary>Parameter names and whether each has a default.</summary>
    private static Dictionary<string, bool> Params(string bicep) =>
        ParamLine().Matches(bicep).ToDictionary(m => m.Groups["name"].Value, m => m.Groups["default"].Success);

    /// <summary>The brace block of the module declared as <paramref name="symbol"/>.</summary>
    private static string ModuleBlockOf(string bicep, string symbol)
    {
        var declaration = bicep.IndexOf($"module {symbol} ", StringComparison.Ordinal);
        Assert.True(declaration >= 0, $"no module {symbol}");
        return Block(bicep, bicep.IndexOf('{', declaration));
    }

    /// <summary>The text of the brace block that opens at <paramref name="open"/>.</summary>
    private static string Block(string text, int open)
    {
        var depth = 0;
        for (var i = open; i < text.Length; i++)
        {
            depth += text[i] switch { '{' => 1, '}' => -1, _ => 0 };
            if (depth == 0)
            {
                return text[open..(i + 1)];
            }
        }

        throw new InvalidOperationException("unbalanced braces");
    }

    [GeneratedRegex(@"^param (?<name>\w+) [\w\[\]]+(?<default> =.*)?$", RegexOptions.Multiline)]
    private static partial Regex ParamLine();

    [GeneratedRegex(@"^param (?<name>\w+) = (?<value>.*)$", RegexOptions.Multiline)]
    private static partial Regex ParamValue();

    [GeneratedRegex(@"^module \w+ '(?<path>[^']+)' = \{", RegexOptions.Multiline)]
    private static partial Regex ModuleBlock();

    [GeneratedRegex(@"^\s+(?<key>DataRights__\w+):", RegexOptions.Multiline)]
    private static partial Regex AppSetting();

    [GeneratedRegex(@"\b(?<key>DataRights__\w+):")]
    private static partial Regex AppSettingAnywhere();

    [GeneratedRegex(@"\{(?<name>\w+)(:[^}]*)?\??\}")]
    private static partial Regex RouteParameter();

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "DataRights.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("DataRights.sln not found above the test folder.");
    }
}
