using Microsoft.DurableTask.Client;

namespace DataRights.Host.Durable;

/// <summary>
/// The Durable client of the flow running now, where the host's services hold none (a Function App's HTTP function
/// gets its client as a binding, for the length of its invocation).
/// </summary>
public static class DurableClientScope
{
    private static readonly AsyncLocal<DurableTaskClient?> Client = new();

    public static DurableTaskClient? Current => Client.Value;

    /// <summary>Makes <paramref name="client"/> the flow's client until disposed.</summary>
    public static IDisposable Use(DurableTaskClient client)
    {
        var outer = Client.Value;
        Client.Value = client;
        return new Scope(outer);
    }

    private sealed class Scope(DurableTaskClient? outer) : IDisposable
    {
        public void Dispose() => Client.Value = outer;
    }
}
