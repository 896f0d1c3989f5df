using DataRights.Storage.AzureTables.Blobs;

namespace DataRights.Storage.Tests.AzureTables;

/// <summary>The Blob Shared Key string to sign, as the Blob service documents it (Azurite checks real signatures in AzureBlobExportStoreTests).</summary>
public sealed class BlobSharedKeyTests
{
    [Fact]
    public void StringToSign_ListBlobs_HasTheVerbElevenHeaderLinesTheXmsHeadersAndEveryQueryParameterSortedAndDecoded()
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["X-MS-Version"] = "2023-11-03",
            ["x-ms-date"] = "Mon, 02 Nov 2026 09:30:00 GMT",
            ["Content-Length"] = string.Empty,
            ["User-Agent"] = "DataRights azsdk-net",
        };

        var text = BlobSharedKeyPolicy.StringToSign(
            "devstoreaccount1", "get", headers, new Uri("http://127.0.0.1:10000/devstoreaccount1/exports?restype=container&comp=list&prefix=dr_1%2F&maxresults=2&marker=abc"));

        Assert.Equal(
            "GET" + new string('\n', 12) +
            "x-ms-date:Mon, 02 Nov 2026 09:30:00 GMT\nx-ms-version:2023-11-03\n" +
            "/devstoreaccount1/devstoreaccount1/exports\ncomp:list\nmarker:abc\nmaxresults:2\nprefix:dr_1/\nrestype:container",
            text);
    }

    [Fact]
    public void StringToSign_PutBlockList_SignsLengthAndContentType()
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["Content-Length"] = "120",
            ["Content-Type"] = "application/xml; charset=utf-8",
            ["x-ms-blob-content-type"] = "application/octet-stream",
        };

        var text = BlobSharedKeyPolicy.StringToSign("contoso", "PUT", headers, new Uri("https://contoso.blob.core.windows.net/datarights-exports/dr_1/package.zip.sealed?comp=blocklist"));

        Assert.Equal(
            "PUT\n\n\n120\n\napplication/xml; charset=utf-8\n\n\n\n\n\n\nx-ms-blob-content-type:application/octet-stream\n/contoso/datarights-exports/dr_1/package.zip.sealed\ncomp:blocklist",
            text);
    }
}
