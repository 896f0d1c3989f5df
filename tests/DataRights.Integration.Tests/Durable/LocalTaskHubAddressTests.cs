using DataRights.Host.Durable;

namespace DataRights.Integration.Tests.Durable;

/// <summary>The sidecar's address, chosen seconds before it is bound: never the same port twice in one process.</summary>
public sealed class LocalTaskHubAddressTests
{
    [Fact]
    public void ChooseAddress_ManyTimesInOneProcess_NeverHandsOutAPortTwice()
    {
        // 300 draws from the 12,768 ports below the ephemeral range collide with a probability above 97% when drawn
        // independently, as they were until 2026-12-05 (a host then failed to bind its sidecar in a CI run).
        var ports = Enumerable.Range(0, 300).Select(_ => LocalTaskHub.ChooseAddress().Port).ToList();

        Assert.Equal(ports.Count, ports.Distinct().Count());
        Assert.All(ports, p => Assert.InRange(p, 1, 65535));
    }
}
