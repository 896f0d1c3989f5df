using Microsoft.AspNetCore.Connections;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Testing;

namespace DataRights.Testing.Durable;

/// <summary>
/// Starts the in-memory Durable Task test host on a loopback port the system just handed out, and on another when that
/// one was taken before the host bound it. Left to itself the host picks a random port between 30000 and 40000 without
/// looking, a range that overlaps the ephemeral ports the run's other sockets (Azurite's clients, Kestrel) are using.
/// </summary>
public static class DurableTestHosts
{
    private const int Tries = 5;

    public static async Task<DurableTaskTestHost> StartAsync(Action<DurableTaskRegistry> registry)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await DurableTaskTestHost.StartAsync(registry, new DurableTaskTestHostOptions { Port = LoopbackPorts.Free() });
            }
            catch (IOException ex) when (attempt < Tries && ex.InnerException is AddressInUseException)
            {
                // Taken meanwhile: another port.
            }
        }
    }
}
