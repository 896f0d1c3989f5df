using System.CommandLine;
using System.Globalization;

namespace DataRights.Bench.Recovery;

/// <summary><c>recovery</c>: seconds from restarting the host after kill -9 to the first resumed in-flight step, on the local task hub.</summary>
internal static class RecoveryCommand
{
    public static Command Create()
    {
        var repetitions = new Option<int>("--repetitions", "-r") { Description = "Kills and restarts, each on a fresh data folder and task hub.", DefaultValueFactory = _ => 3 };
        var requests = new Option<int>("--requests", "-n") { Description = "Requests whose discovery is in flight at each kill.", DefaultValueFactory = _ => 3 };
        var latency = new Option<int>("--source-latency") { Description = "How long the slow source takes over each call, ms.", DefaultValueFactory = _ => 5000 };
        var visibility = new Option<int?>("--visibility-timeout") { Description = "DataRights:Durable:VisibilityTimeout in seconds (default: the product's, 20)." };
        var notNow = new Option<int?>("--not-now-retry") { Description = "DataRights:Durable:NotNowRetry in seconds (default: the product's, 10)." };
        var stop = new Option<string>("--stop") { Description = "How the host is stopped mid-step: kill (SIGKILL, a crash) or term (SIGTERM, as an operator or a deployment stops it).", DefaultValueFactory = _ => "kill" };
        stop.AcceptOnlyFromAmong("kill", "term");
        var quick = new Option<bool>("--quick") { Description = "Smoke run: 1 repetition, 2 requests, 10 s visibility timeout, 2 s not-now retry." };
        var command = new Command("recovery", "Restart after kill -9 (or SIGTERM, --stop term) with the request orchestrations on the local task hub (Azurite keeps running): seconds from the host's start to /healthz, to the first step completing, and to the steps in flight at the kill completing; median and max over the repetitions.");
        foreach (var option in new Option[] { repetitions, requests, latency, visibility, notNow, stop, quick })
        {
            command.Options.Add(option);
        }

        command.SetAction((result, token) =>
        {
            var isQuick = result.GetValue(quick);
            var overrides = new Dictionary<string, string>(StringComparer.Ordinal);
            void Set(string key, int? seconds, int quickSeconds)
            {
                if ((seconds ?? (isQuick ? quickSeconds : null)) is { } value)
                {
                    overrides[key] = TimeSpan.FromSeconds(value).ToString("c", CultureInfo.InvariantCulture);
                }
            }

            Set("DataRights__Durable__VisibilityTimeout", result.GetValue(visibility), 10);
            Set("DataRights__Durable__NotNowRetry", result.GetValue(notNow), 2);
            return RecoveryBenchmark.RunAsync(
                new RecoveryBenchmark.Settings(isQuick ? 1 : result.GetValue(repetitions), isQuick ? 2 : result.GetValue(requests), TimeSpan.FromMilliseconds(result.GetValue(latency)), overrides, result.GetValue(stop) == "term"),
                Console.Out,
                token);
        });
        return command;
    }
}
