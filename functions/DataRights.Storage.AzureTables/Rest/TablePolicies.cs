using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Azure.Core;
using Azure.Core.Pipeline;

namespace DataRights.Storage.AzureTables.Rest;

/// <summary>The headers every Table REST call carries: the API version and the OData flavour (minimal metadata gives ETags).</summary>
internal sealed class TableHeadersPolicy : HttpPipelineSynchronousPolicy
{
    public const string ApiVersion = "2019-02-02";

    public override void OnSendingRequest(HttpMessage message)
    {
        message.Request.Headers.SetValue("x-ms-version", ApiVersion);
        message.Request.Headers.SetValue("DataServiceVersion", "3.0");
        message.Request.Headers.SetValue("MaxDataServiceVersion", "3.0;NetFx");
        if (!message.Request.Headers.Contains("Accept"))
        {
            message.Request.Headers.SetValue("Accept", "application/json;odata=minimalmetadata");
        }
    }
}

/// <summary>
/// Shared Key Lite for the Table service: HMAC-SHA256 over <c>x-ms-date + "\n" + "/" + account + path</c>.
/// A per-retry policy, so each attempt is signed with a fresh date. The date is the real clock, never a
/// test's fake one: the service refuses requests dated more than 15 minutes off.
/// </summary>
internal sealed class SharedKeyLitePolicy(string accountName, byte[] accountKey) : HttpPipelineSynchronousPolicy
{
    public override void OnSendingRequest(HttpMessage message)
    {
        var date = TimeProvider.System.GetUtcNow().ToString("R", CultureInfo.InvariantCulture);
        message.Request.Headers.SetValue("x-ms-date", date);
        message.Request.Headers.SetValue("Authorization", "SharedKeyLite " + accountName + ":" + Sign(accountName, accountKey, date, message.Request.Uri.ToUri()));
    }

    public static string Sign(string accountName, byte[] accountKey, string date, Uri uri)
    {
        // Only the "comp" query parameter is part of the canonical resource; the Table calls made here never use it.
        var toSign = date + "\n/" + accountName + uri.AbsolutePath;
        return Convert.ToBase64String(HMACSHA256.HashData(accountKey, Encoding.UTF8.GetBytes(toSign)));
    }
}
