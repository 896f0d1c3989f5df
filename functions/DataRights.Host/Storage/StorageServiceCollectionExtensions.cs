using Azure.Data.Tables;
using DataRights.Core.Ports;
using DataRights.Core.Retention;
using DataRights.Core.Sources.Registry;
using DataRights.Host.Exports;
using DataRights.Host.Verification;
using DataRights.Storage.AzureTables;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace DataRights.Host.Storage;

public static class StorageServiceCollectionExtensions
{
    public const string ProviderKey = StorageOptions.Section + ":Provider";

    /// <summary>
    /// Every store port (requests and audit trails, work queue and its outbox, registrations, holds, job runs,
    /// suppressions, and the retention bookkeeping: policies, purge runs and reports, leases, follow-ups) on the
    /// storage account's Table service (the Blob service holds exports): Azurite locally, the account on Azure.
    /// Call it after the other registrations: it replaces store ports registered before it, and puts its
    /// store initializer first among the hosted services, so tables and schema exist before anything seeds them.
    /// </summary>
    public static IServiceCollection AddDataRightsStorage(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<StorageOptions>, StorageOptionsValidator>();
        return services.AddAzureTableStores();
    }

    /// <summary>Azure Table storage for every store port (settings under <c>DataRights:Storage</c>, clients from <see cref="StorageClientsServiceCollectionExtensions.AddStorageAzureClients"/>; tables created at start).</summary>
    public static IServiceCollection AddAzureTableStores(this IServiceCollection services)
    {
        services.AddStorageAzureClients();
        services.AddSingleton(sp => new AzureTableStore(
            AzureTableConnection.FromServiceClient(sp.GetRequiredService<TableServiceClient>()) with { TablePrefix = sp.GetRequiredService<IOptions<StorageOptions>>().Value.TablePrefix },
            sp.GetRequiredService<TimeProvider>())
        {
            // The inbox index keeps an address only as its keyed hash under the verification key (as the attempt counter does).
            AddressKey = sp.GetService<DataPointHasher>() is { } hasher ? email => hasher.Hash("address", email) : null,
        });
        services.AddAzureBlobExportStore();

        // One request store serves the three ports: the inbox index is written with the request's commits, and the
        // same store lists requests for staff (metrics, restrictions in force).
        services.RemoveAll<IRequestStore>();
        services.RemoveAll<IInboxIndex>();
        services.RemoveAll<IRequestListing>();
        services.AddSingleton<AzureTableRequestStore>();
        services.AddSingleton<IRequestStore>(sp => sp.GetRequiredService<AzureTableRequestStore>());
        services.AddSingleton<IInboxIndex>(sp => sp.GetRequiredService<AzureTableRequestStore>());
        services.AddSingleton<IRequestListing>(sp => sp.GetRequiredService<AzureTableRequestStore>());
        Use<ISourceRegistrationStore, AzureTableSourceRegistrationStore>(services);
        Use<ILegalHoldStore, AzureTableLegalHoldStore>(services);
        Use<IJobRunStore, AzureTableJobRunStore>(services);
        Use<ISuppressionList, AzureTableSuppressionList>(services);
        Use<IVerificationAttemptCounter, AzureTableVerificationAttempts>(services);
        Use<IRetentionPolicyStore, AzureTableRetentionPolicyStore>(services);
        Use<IPurgeStore, AzureTablePurgeStore>(services);
        Use<IFollowUpErasureStore, AzureTableFollowUpErasureStore>(services);
        Use<ISentEmailCopies, AzureTableSentEmailCopies>(services);
        Use<ISubmissionInbox, AzureTableSubmissionInbox>(services);
        Use<IHandledSubmissions, AzureTableHandledSubmissions>(services);
        Use<IAddressHolds, AzureTableAddressHolds>(services);

        // The data-protection key ring too, so cookies and anti-forgery tokens work across instances.
        services.AddOptions<Microsoft.AspNetCore.DataProtection.KeyManagement.KeyManagementOptions>().Configure<IServiceProvider>((o, sp) =>
            o.XmlRepository = new Http.TableKeyRing(sp.GetRequiredService<AzureTableStore>(), () => sp.GetRequiredService<Exports.ExportFiles>().Key));

        services.AddHostedService<AzureTableStoreInitializer>();
        return StartFirst<AzureTableStoreInitializer>(services);
    }

    private static void Use<TService, TImplementation>(IServiceCollection services)
        where TService : class
        where TImplementation : class, TService
    {
        services.RemoveAll<TService>();
        services.AddSingleton<TService, TImplementation>();
    }

    /// <summary>Hosted services start in registration order: the store's initializer goes before the others (the source registry seeds the store).</summary>
    private static IServiceCollection StartFirst<TInitializer>(IServiceCollection services)
    {
        var initializer = services.Single(d => d.ServiceType == typeof(IHostedService) && d.ImplementationType == typeof(TInitializer));
        services.Remove(initializer);
        var first = services.TakeWhile(d => d.ServiceType != typeof(IHostedService)).Count();
        services.Insert(first, initializer);
        return services;
    }
}
