using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace DataRights.Host.Sources;

/// <summary>
/// Where HTTP sources may connect. Link-local (169.254.0.0/16, fe80::/10, where cloud metadata lives),
/// unspecified, broadcast and multicast addresses are always refused, in any notation (IPv4 written in
/// decimal, hex or octal reaches here already parsed; IPv4-mapped, -compatible, NAT64 and 6to4 IPv6 forms
/// are unwrapped). Outside Development, loopback and private ranges too, unless the URL's host is in
/// <see cref="SourcesOptions.AllowedHosts"/>. The same check runs at registration and at every connection
/// (<see cref="CreateHandler"/>), on the address actually connected to, so a name that later resolves
/// elsewhere (DNS rebinding) is still refused. Source calls never follow redirects.
/// </summary>
public sealed class SourceAddresses
{
    private readonly bool _internalAllowed;
    private readonly HashSet<string> _allowedHosts;
    private readonly Func<string, CancellationToken, Task<IPAddress[]>> _resolve;

    public SourceAddresses(IOptions<SourcesOptions> options, IHostEnvironment environment, Func<string, CancellationToken, Task<IPAddress[]>>? resolve = null)
    {
        _internalAllowed = environment.IsDevelopment();
        _allowedHosts = new HashSet<string>(options.Value.AllowedHosts.Select(h => h.Trim().Trim('[', ']')), StringComparer.OrdinalIgnoreCase);
        _resolve = resolve ?? Dns.GetHostAddressesAsync;
    }

    /// <summary>How long a source connection may take to open.</summary>
    public static TimeSpan ConnectTimeout { get; } = TimeSpan.FromSeconds(10);

    /// <summary>Null when <paramref name="host"/> (resolved now) may be called; otherwise why not, in plain words.</summary>
    public async Task<string?> ProblemAsync(string host, CancellationToken cancellationToken)
    {
        IPAddress[] addresses;
        try
        {
            addresses = await ResolveAsync(host, cancellationToken);
        }
        catch (SocketException)
        {
            // Not resolvable now: nothing to refuse yet; every connection is checked again.
            return null;
        }

        return addresses.Select(a => Problem(host, a)).FirstOrDefault(p => p is not null);
    }

    /// <summary>Null when connecting to <paramref name="address"/> for <paramref name="host"/> is allowed; otherwise why not.</summary>
    public string? Problem(string host, IPAddress address) => Classify(address) switch
    {
        AddressKind.Forbidden => "The address is link-local, unspecified, broadcast or multicast (such as the cloud metadata address 169.254.169.254): sources are never called there.",
        AddressKind.Internal when !_internalAllowed && !_allowedHosts.Contains(host.Trim('[', ']')) =>
            "The address is loopback or in a private range: name the host in DataRights:Sources:AllowedHosts to allow it.",
        _ => null,
    };

    /// <summary>The handler for source calls: no redirects, no proxy (the checked address is the one connected to), every connection checked.</summary>
    public SocketsHttpHandler CreateHandler() => new()
    {
        AllowAutoRedirect = false,
        UseProxy = false,
        UseCookies = false,
        ConnectTimeout = ConnectTimeout,
        ConnectCallback = ConnectAsync,
    };

    /// <summary>Resolves the host once, checks every address, and connects only to checked ones.</summary>
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var host = context.DnsEndPoint.Host;
        var addresses = await ResolveAsync(host, cancellationToken);
        var problem = addresses.Length == 0 ? "The host name did not resolve." : addresses.Select(a => Problem(host, a)).FirstOrDefault(p => p is not null);
        if (problem is not null)
        {
            throw new SourceAddressRefusedException(problem);
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, context.DnsEndPoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>What kind of address this is once any IPv4 inside an IPv6 form is unwrapped.</summary>
    public static AddressKind Classify(IPAddress address)
    {
        if (address.Equals(IPAddress.IPv6Loopback))
        {
            return AddressKind.Internal;
        }

        if (address.Equals(IPAddress.IPv6Any))
        {
            return AddressKind.Forbidden;
        }

        var ip = Unwrap(address);
        var b = ip.GetAddressBytes();
        if (ip.AddressFamily == AddressFamily.InterNetwork)
        {
            return b switch
            {
                [169, 254, ..] or [0, ..] or [>= 224, ..] => AddressKind.Forbidden,
                [127, ..] or [10, ..] or [172, >= 16 and <= 31, ..] or [192, 168, ..] or [100, >= 64 and <= 127, ..] => AddressKind.Internal,
                _ => AddressKind.Public,
            };
        }

        return b switch
        {
            [0xfe, >= 0x80 and <= 0xbf, ..] or [0xff, ..] => AddressKind.Forbidden,
            [>= 0xfc and <= 0xfd, ..] or [0xfe, >= 0xc0, ..] => AddressKind.Internal,
            _ => AddressKind.Public,
        };
    }

    // IPv4-mapped (::ffff:a.b.c.d), IPv4-compatible (::a.b.c.d), NAT64 (64:ff9b::a.b.c.d) and 6to4 (2002:AABB:CCDD::) reach an IPv4 address.
    private static IPAddress Unwrap(IPAddress address)
    {
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4();
        }

        var b = address.GetAddressBytes();
        if (b.AsSpan(0, 12).IndexOfAnyExcept((byte)0) < 0 || (b[0] == 0 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b && b.AsSpan(4, 8).IndexOfAnyExcept((byte)0) < 0))
        {
            return new IPAddress(b.AsSpan(12, 4));
        }

        return b[0] == 0x20 && b[1] == 0x02 ? new IPAddress(b.AsSpan(2, 4)) : address;
    }

    private async Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken) =>
        IPAddress.TryParse(host.Trim('[', ']'), out var literal) ? [literal] : await _resolve(host, cancellationToken);
}
