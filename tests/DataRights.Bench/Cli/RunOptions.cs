using System.CommandLine;
using System.CommandLine.Parsing;

namespace DataRights.Bench.Cli;

/// <summary>Options every load benchmark shares: duration, warm-up, concurrency, rounds and --quick.</summary>
internal sealed class RunOptions
{
    private const int DefaultSeconds = 10;
    private const int DefaultWarmup = 2;
    private const int DefaultConcurrency = 8;
    private const int DefaultRounds = 5;
    private const int QuickSeconds = 3;
    private const int QuickWarmup = 1;
    private const int QuickRounds = 3;

    private readonly Option<int> _seconds = new("--seconds")
    {
        Description = "Measured run length in seconds, per run.",
        DefaultValueFactory = _ => DefaultSeconds,
    };

    private readonly Option<int> _warmup = new("--warmup")
    {
        Description = "Warm-up in seconds before each measured run; its results are discarded.",
        DefaultValueFactory = _ => DefaultWarmup,
    };

    private readonly Option<int> _concurrency = new("--concurrency", "-c")
    {
        Description = "Concurrent workers (HTTP clients, and Table clients for the concurrent raw run).",
        DefaultValueFactory = _ => DefaultConcurrency,
    };

    private readonly Option<int> _rounds = new("--rounds")
    {
        Description = "Rounds the measured seconds are split into; the lanes take turns each round, so drift in the machine hits them alike.",
        DefaultValueFactory = _ => DefaultRounds,
    };

    private readonly Option<bool> _quick = new("--quick")
    {
        Description = $"Smoke run: {QuickWarmup} s warm-up, {QuickSeconds} s measured in {QuickRounds} rounds (explicit options still win).",
    };

    public RunOptions()
    {
        _seconds.Validators.Add(r => RequireAtLeast(r, 1));
        _warmup.Validators.Add(r => RequireAtLeast(r, 0));
        _concurrency.Validators.Add(r => RequireAtLeast(r, 1));
        _rounds.Validators.Add(r => RequireAtLeast(r, 1));
    }

    public void AddTo(Command command)
    {
        command.Options.Add(_seconds);
        command.Options.Add(_warmup);
        command.Options.Add(_concurrency);
        command.Options.Add(_rounds);
        command.Options.Add(_quick);
    }

    public RunSettings Read(ParseResult result)
    {
        var quick = result.GetValue(_quick);
        var seconds = quick && !IsExplicit(result, _seconds) ? QuickSeconds : result.GetValue(_seconds);
        var warmup = quick && !IsExplicit(result, _warmup) ? QuickWarmup : result.GetValue(_warmup);
        var rounds = quick && !IsExplicit(result, _rounds) ? QuickRounds : result.GetValue(_rounds);
        return new RunSettings(TimeSpan.FromSeconds(warmup), TimeSpan.FromSeconds(seconds), result.GetValue(_concurrency), rounds, quick);
    }

    private static bool IsExplicit(ParseResult result, Option option) => result.GetResult(option) is { Implicit: false };

    private static void RequireAtLeast(OptionResult result, int minimum)
    {
        if (result.GetValueOrDefault<int>() < minimum)
        {
            result.AddError($"{result.Option.Name} must be at least {minimum}.");
        }
    }
}
