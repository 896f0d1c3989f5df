namespace DataRights.Testing.Azurite;

/// <summary>
/// One Azurite for every test of a test process that runs the program on Table and Blob storage, started by the
/// first that asks and killed when the process exits. Each program gets tables and a container of its own
/// (<see cref="StorageSettings"/>), so tests stay apart.
/// </summary>
public static class SharedAzurite
{
    private static readonly Lazy<Task<AzuriteServer>> Server = new(() => AzuriteServer.StartAsync(), LazyThreadSafetyMode.ExecutionAndPublication);

    public static Task<AzuriteServer> GetAsync() => Server.Value;

    /// <summary>
    /// Settings that keep the pipeline's records on the shared Azurite under names derived from <paramref name="owner"/>
    /// (a data folder's path): a program restarted on the same folder finds its records again.
    /// </summary>
    public static Dictionary<string, string?> StorageSettings(AzuriteServer azurite, string owner)
    {
        var name = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(owner)))[..20];
        return new Dictionary<string, string?>
        {
            ["DataRights:Storage:Provider"] = "azure-tables",
            ["AzureWebJobsStorage"] = azurite.ConnectionString,
            ["DataRights:Storage:TablePrefix"] = "t" + name,
            ["DataRights:Storage:ExportContainer"] = "exports-" + name,
        };
    }
}
