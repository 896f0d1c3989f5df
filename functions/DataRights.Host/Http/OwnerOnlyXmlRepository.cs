using System.Xml.Linq;
using DataRights.Host.Hosting;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.Extensions.Logging.Abstractions;

namespace DataRights.Host.Http;

/// <summary>
/// The stand-alone data-protection key ring in the data folder, owner-only: the folder is made 700 and each key file
/// 600 when a key is written (the framework's file repository uses the default modes). Nothing is created until then.
/// </summary>
internal sealed class OwnerOnlyXmlRepository(string folder) : IXmlRepository
{
    private readonly FileSystemXmlRepository _files = new(new DirectoryInfo(folder), NullLoggerFactory.Instance);

    public IReadOnlyCollection<XElement> GetAllElements() => _files.GetAllElements();

    public void StoreElement(XElement element, string friendlyName)
    {
        OwnerOnlyFiles.Folder(Path.GetDirectoryName(folder)!);
        OwnerOnlyFiles.Folder(folder);
        _files.StoreElement(element, friendlyName);
        foreach (var file in Directory.EnumerateFiles(folder))
        {
            OwnerOnlyFiles.Restrict(file);
        }
    }
}
