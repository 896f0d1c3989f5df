using System.Security.Cryptography;

namespace DataRights.Host.Requests;

/// <summary>New request ids: "dr_" and 24 random hex digits. Random, so an id says nothing about order or volume.</summary>
public static class RequestIds
{
    public static string New() => "dr_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
}
