using System.Text;
using Microsoft.Extensions.Logging;
using Yardstick.Core.Alerts;
using Yardstick.Core;
using Yardstick.Core.Ports;
using Yardstick.Core.Runs;
using Yardstick.Core.Summaries;
using Yardstick.Orchestration.Activities;
using Yardstick.Orchestration.Alerts;
using Yardstick.Orchestration.Contracts;
using Yardstick.Orchestration.Hosting;
using Yardstick.Orchestration.Tests.TestSupport;
using Yardstick.Testing;

namespace Yardstick.Orchestration.Tests.Activities;

/// <summary>
/// <see cref="SendAlertsActivity"/> against real HTTP receivers on 127.0.0.1 standing in for Slack, Teams, a webhook and
/// the GitHub API: payload shapes, exactly once across retries, failures recorded (never thrown), silence windows, the
/// destination policy, and no secret in what is stored or logged.
/// </summary>
public sealed class SendAlertsActivityTests
{
    private const string Workload = "checkout";
    private const string SlackSecretPath = "/services/T0/B0/s3cr3t-slack-path";
    private const string TeamsSecretPath = "/workflows/s3cr3t-teams-path/triggers/manual";
    private const string Token = "ghp_s3cr3t_token_value";

    [Fact]
    public async Task Run_RegressionAndThreshold_EachChannelGetsItsDocumentedShape()
    {
        await using var receiver = await AlertReceiver.StartAsync(r => r.Path.EndsWith("/issues", StringComparison.Ordinal) ? (201, """{"number": 7, "html_url": "x"}""") : (200, null));
        var t = new Setup(receiver);
        var runId = await t.StoreAsync(Channels(receiver, "webhook", "slack", "teams", "github"));

        var results = await t.Activity().RunAsync(null!, t.Request(runId));

        Assert.Equal(8, results.Count); // 2 conditions × 4 channels
        Assert.All(results, r => Assert.Equal("sent", r.State));
        Assert.Equal(8, receiver.Received.Count);

        var slack = receiver.Received.First(r => r.Path == SlackSecretPath).Body!;
        Assert.Contains("checkout regressed", slack["text"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("header", slack["blocks"]![0]!["type"]!.GetValue<string>());
        Assert.Contains("p95 is 12.0% slower", slack["blocks"]![1]!["text"]!["text"]!.GetValue<string>(), StringComparison.Ordinal);

        var teams = receiver.Received.First(r => r.Path == TeamsSecretPath).Body!;
        Assert.Equal("message", teams["type"]!.GetValue<string>());
        var attachment = teams["attachments"]![0]!;
        Assert.Equal("application/vnd.microsoft.card.adaptive", attachment["contentType"]!.GetValue<string>());
        Assert.Equal("AdaptiveCard", attachment["content"]!["type"]!.GetValue<string>());
        Assert.Contains(attachment["content"]!["body"]!.AsArray(), b => b!["type"]!.GetValue<string>() == "FactSet");

        var issues = receiver.Received.Where(r => r.Path == "/repos/octo/bench/issues").ToList();
        Assert.Equal(2, issues.Count); // one issue per condition
        Assert.All(issues, i => Assert.Equal(("POST", "Bearer " + Token), (i.Method, i.Authorization)));
        Assert.Contains("application/vnd.github+json", issues[0].Accept, StringComparison.Ordinal);
        Assert.Equal(["Yardstick: checkout — regression", "Yardstick: checkout — threshold"], issues.Select(i => i.Body!["title"]!.GetValue<string>()).Order());
        Assert.All(issues, i => Assert.Contains("report.html", i.Body!["body"]!.GetValue<string>(), StringComparison.Ordinal));

        var hook = receiver.Received.First(r => r.Path == "/hook" && r.Body!["condition"]!.GetValue<string>() == "threshold").Body!;
        Assert.Equal(("yardstick.alert", runId), (hook["event"]!.GetValue<string>(), hook["runId"]!.GetValue<string>()));
        Assert.Equal("212.4 ms", hook["numbers"]!["p95"]!.GetValue<string>());
        Assert.Equal("p(95) < 200ms", hook["failedThresholds"]![0]!.GetValue<string>());

        Assert.Contains(results, r => r.Channel == "github-3" && r.Detail == "opened issue #7");
        var stored = Encoding.UTF8.GetString((await t.Artifacts.GetAsync(Workload, runId, SendAlertsActivity.AlertsBlobName, CancellationToken.None))!);
        Assert.Contains("\"sent\"", stored, StringComparison.Ordinal);
        t.AssertNoSecretIn(stored);
    }

    [Fact]
    public async Task Run_PublicUrlSet_EveryChannelLinksToTheTrendAndTheRun()
    {
        await using var receiver = await AlertReceiver.StartAsync(r => r.Path.EndsWith("/issues", StringComparison.Ordinal) ? (201, """{"number": 3}""") : (200, null));
        var t = new Setup(receiver, publicUrl: PublicUrl.Parse("https://bench.contoso.example/yardstick"));
        var runId = await t.StoreAsync(Channels(receiver, "webhook", "slack", "teams", "github"), on: "[regression]");

        var results = await t.Activity().RunAsync(null!, t.Request(runId));

        Assert.Equal(4, results.Count);
        const string trend = "https://bench.contoso.example/yardstick/api/workloads/checkout/trend?days=90";
        var run = $"https://bench.contoso.example/yardstick/api/runs/{runId}/report";
        var hook = receiver.Received.Single(r => r.Path == "/hook").Body!;
        Assert.Equal((trend, run), (hook["trendUrl"]!.GetValue<string>(), hook["runUrl"]!.GetValue<string>()));
        var slackLinks = receiver.Received.Single(r => r.Path == SlackSecretPath).Body!["blocks"]!.AsArray().Single(b => b!["type"]!.GetValue<string>() == "context")!["elements"]![0]!["text"]!.GetValue<string>();
        Assert.Contains($"<{trend}|Trend>", slackLinks, StringComparison.Ordinal);
        Assert.Contains($"<{run}|Run>", slackLinks, StringComparison.Ordinal);
        var actions = receiver.Received.Single(r => r.Path == TeamsSecretPath).Body!["attachments"]![0]!["content"]!["actions"]!.AsArray();
        Assert.Contains(actions, a => a!["title"]!.GetValue<string>() == "Open trend" && a["url"]!.GetValue<string>() == trend);
        Assert.Contains(actions, a => a!["title"]!.GetValue<string>() == "Open run" && a["url"]!.GetValue<string>() == run);
        var issue = receiver.Received.Single(r => r.Path == "/repos/octo/bench/issues").Body!["body"]!.GetValue<string>();
        Assert.Contains($"[Trend]({trend})", issue, StringComparison.Ordinal);
        Assert.Contains($"[Run]({run})", issue, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_Drift_SentOnceWithTheDriftSentence_RepeatSendsNothing()
    {
        await using var receiver = await AlertReceiver.StartAsync();
        var t = new Setup(receiver);
        var runId = await t.StoreAsync(Channels(receiver, "webhook"), on: "[drift]", drift: true);
        var request = t.Request(runId) with { Outcome = t.Request(runId).Outcome with { Drift = ["p95"] } };

        var first = await t.Activity().RunAsync(null!, request);
        var again = await t.Activity().RunAsync(null!, request);

        Assert.Equal(("drift", "sent"), (Assert.Single(first).Condition, first[0].State));
        Assert.Equal(first, again);
        var body = Assert.Single(receiver.Received).Body!;
        Assert.Equal("drift", body["condition"]!.GetValue<string>());
        Assert.Contains("checkout drifted", body["title"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.StartsWith("Drift: p95 shifted +12.0%", body["sentence"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("+12.0% since run r-step (6 runs)", body["numbers"]!["p95 drift"]!.GetValue<string>());
    }

    [Fact]
    public async Task Run_NoDriftOnTheRun_DriftConditionSilent()
    {
        await using var receiver = await AlertReceiver.StartAsync();
        var t = new Setup(receiver);
        var runId = await t.StoreAsync(Channels(receiver, "webhook"), on: "[drift]");

        Assert.Empty(await t.Activity().RunAsync(null!, t.Request(runId)));
        Assert.Empty(receiver.Received);
    }

    [Fact]
    public async Task Run_PublicUrlUnset_NoTrendOrRunLink()
    {
        await using var receiver = await AlertReceiver.StartAsync();
        var t = new Setup(receiver);
        var runId = await t.StoreAsync(Channels(receiver, "webhook", "slack", "teams"), on: "[regression]");

        await t.Activity().RunAsync(null!, t.Request(runId));

        Assert.Equal(3, receiver.Received.Count);
        var hook = receiver.Received.Single(r => r.Path == "/hook").Body!;
        Assert.Null(hook["trendUrl"]);
        Assert.Null(hook["runUrl"]);
        Assert.All(receiver.Received, r => Assert.DoesNotContain("/trend?", r.Body!.ToJsonString(), StringComparison.Ordinal));
        Assert.All(receiver.Received, r => Assert.DoesNotContain("api/runs/", r.Body!.ToJsonString(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task Run_TwiceLikeARetry_EachAlertDeliveredOnce_SameResults()
    {
        await using var receiver = await AlertReceiver.StartAsync();
        var t = new Setup(receiver);
        var runId = await t.StoreAsync(Channels(receiver, "webhook", "slack"));

        var first = await t.Activity().RunAsync(null!, t.Request(runId));
        var second = await t.Activity().RunAsync(null!, t.Request(runId));

        Assert.Equal(4, receiver.Received.Count);
        Assert.Equal(first, second);
        Assert.All(t.Store.Rows, r => Assert.Equal((AlertDeliveryState.Sent, 1), (r.State, r.Claims)));
    }

    [Fact]
    public async Task Run_TwoAttemptsAtOnce_DuplicateWaitsForTheClaim_OneDelivery()
    {
        // A duplicate execution of the activity (Durable dispatches at least once) running alongside the first.
        var release = new TaskCompletionSource();
        await using var receiver = await AlertReceiver.StartAsync(_ =>
        {
            release.Task.Wait(TimeSpan.FromSeconds(30));
            return (200, null);
        });
        var t = new Setup(receiver);
        var runId = await t.StoreAsync(Channels(receiver, "webhook"), on: "[regression]");

        var first = t.Activity().RunAsync(null!, t.Request(runId));
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (t.Store.Rows.Count == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        Assert.Single(t.Store.Rows); // the first attempt holds the claim while the receiver is held

        var second = t.Activity().RunAsync(null!, t.Request(runId));
        await Task.Delay(300);
        release.SetResult();
        var results = await Task.WhenAll(first, second);

        Assert.Single(receiver.Received);
        Assert.Equal(results[0], results[1]);
        Assert.Equal((AlertDeliveryState.Sent, 1), (t.Store.Rows[0].State, t.Store.Rows[0].Claims));
    }

    [Fact]
    public async Task Run_AttemptDiedWhileSending_NextAttemptTakesTheRowOverAndSendsOnce()
    {
        await using var receiver = await AlertReceiver.StartAsync();
        var t = new Setup(receiver);
        var runId = await t.StoreAsync(Channels(receiver, "webhook"), on: "[failed]");
        await t.Store.TryAddAsync(new AlertDelivery { RunId = runId, Key = "failed-webhook-0", Workload = Workload, Condition = "failed", Channel = "webhook-0", Claims = 1 }, CancellationToken.None);

        var results = await t.Activity().RunAsync(null!, t.Request(runId, failed: true));

        Assert.Single(receiver.Received);
        Assert.Equal("sent", Assert.Single(results).State);
        Assert.Equal(2, Assert.Single(t.Store.Rows).Claims);
        Assert.Contains("The run failed: PersistRunActivity failed: disk full.", receiver.Received[0].Body!["sentence"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_ReceiverAnswers500_RetriedThreeTimes_FailureRecordedNotThrown()
    {
        await using var receiver = await AlertReceiver.StartAsync(_ => (500, null));
        var t = new Setup(receiver);
        var runId = await t.StoreAsync(Channels(receiver, "slack"), on: "[regression]");

        var results = await t.Activity().RunAsync(null!, t.Request(runId));
        var again = await t.Activity().RunAsync(null!, t.Request(runId));

        Assert.Equal(3, receiver.Received.Count); // three attempts, and the repeated activity sends nothing more
        var result = Assert.Single(results);
        Assert.Equal(("failed", "HTTP 500 after 3 attempts"), (result.State, result.Detail));
        Assert.Equal(results, again);
        Assert.Equal((AlertDeliveryState.Failed, 3), (t.Store.Rows[0].State, t.Store.Rows[0].Attempts));
        var summary = YardstickJson.Deserialize<RunSummary>((await t.Artifacts.GetAsync(Workload, runId, "summary.json", CancellationToken.None))!);
        Assert.Equal(new AlertSummary("regression", "slack-0", "failed", "HTTP 500 after 3 attempts"), Assert.Single(summary.Alerts!));
        Assert.NotNull(summary.Verdict);
        Assert.Contains(t.Logs, l => l.Contains("alert to slack-0 failed: HTTP 500 after 3 attempts", StringComparison.Ordinal));
        t.AssertNoSecretIn(string.Join('\n', t.Logs));
    }

    [Fact]
    public async Task Run_RepeatedConditionInALaterRun_CommentsOnTheIssue()
    {
        await using var receiver = await AlertReceiver.StartAsync(r => r.Path.EndsWith("/issues", StringComparison.Ordinal) ? (201, """{"number": 12}""") : (201, "{}"));
        var t = new Setup(receiver);
        var first = await t.StoreAsync(Channels(receiver, "github"), on: "[regression]");
        await t.Activity().RunAsync(null!, t.Request(first));
        var second = await t.StoreAsync(Channels(receiver, "github"), on: "[regression]");

        var results = await t.Activity().RunAsync(null!, t.Request(second));

        Assert.Equal(["/repos/octo/bench/issues", "/repos/octo/bench/issues/12/comments"], receiver.Received.Select(r => r.Path));
        Assert.Contains(second, receiver.Received[1].Body!["body"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("Bearer " + Token, receiver.Received[1].Authorization);
        Assert.Equal("commented on issue #12", Assert.Single(results).Detail);
    }

    [Fact]
    public async Task Run_InsideASilenceWindow_SuppressedAndRecorded_NothingSent()
    {
        await using var receiver = await AlertReceiver.StartAsync();
        var t = new Setup(receiver);
        var from = DateTimeOffset.UtcNow.AddHours(-1).ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
        var to = DateTimeOffset.UtcNow.AddHours(1).ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
        var runId = await t.StoreAsync(Channels(receiver, "webhook") + $"\n  silence: [{{ from: \"{from}\", to: \"{to}\", reason: load test of the DB }}]", on: "[regression]");

        var result = Assert.Single(await t.Activity().RunAsync(null!, t.Request(runId)));

        Assert.Empty(receiver.Received);
        Assert.Equal("suppressed", result.State);
        Assert.Contains("load test of the DB", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_StoredSilenceFromTheCli_SuppressesToo()
    {
        await using var receiver = await AlertReceiver.StartAsync();
        var t = new Setup(receiver);
        var runId = await t.StoreAsync(Channels(receiver, "webhook"), on: "[regression]");
        await t.Store.AddSilenceAsync(Workload, new(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(2), "DB migration"), CancellationToken.None);

        var result = Assert.Single(await t.Activity().RunAsync(null!, t.Request(runId)));

        Assert.Empty(receiver.Received);
        Assert.Equal("suppressed", result.State);
        Assert.Contains("DB migration", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_NothingFiring_SendsNothing_WritesNoAlertsFile()
    {
        await using var receiver = await AlertReceiver.StartAsync();
        var t = new Setup(receiver);
        var runId = await t.StoreAsync(Channels(receiver, "webhook"), on: "[failed]");

        Assert.Empty(await t.Activity().RunAsync(null!, t.Request(runId)));
        Assert.Empty(receiver.Received);
        Assert.Null(await t.Artifacts.GetAsync(Workload, runId, SendAlertsActivity.AlertsBlobName, CancellationToken.None));
    }

    [Fact]
    public async Task Run_DeployedPolicy_LoopbackAndHttpWebhooksRefused_NoRequestReachesThem()
    {
        // Abuse case: a workload posted to the deployed app points its alerts at the app's own network.
        await using var receiver = await AlertReceiver.StartAsync();
        var t = new Setup(receiver, AlertDestinations.PublicHttpsOnly);
        var port = new Uri(receiver.BaseUrl).Port;
        var runId = await t.StoreAsync($$"""
            alerts:
              on: [regression]
              send:
                - { type: webhook, url: "{{receiver.BaseUrl}}/hook" }
                - { type: webhook, url: "https://127.0.0.1:{{port}}/hook" }
                - { type: webhook, url: "https://localhost:{{port}}/hook" }
                - { type: webhook, url: "https://169.254.169.254/metadata/identity" }
                - { type: slack, url: "${env:SLACK_HOOK}" }
            """);

        var results = await t.Activity().RunAsync(null!, t.Request(runId));

        Assert.Empty(receiver.Received);
        Assert.Equal(5, results.Count);
        Assert.All(results, r => Assert.Equal("failed", r.State));
        Assert.All(results, r => Assert.StartsWith("refused: ", r.Detail, StringComparison.Ordinal));
        Assert.Contains("not https", results[0].Detail, StringComparison.Ordinal);
        Assert.Contains("loopback or private", results[2].Detail, StringComparison.Ordinal); // a name resolving to loopback
        Assert.Contains("link-local", results[3].Detail, StringComparison.Ordinal);
        t.AssertNoSecretIn(string.Join('\n', results.Select(r => r.Detail)) + string.Join('\n', t.Logs));
    }

    [Fact]
    public async Task Run_SecretReferenceUnset_RecordedAsFailedNamingTheVariable()
    {
        await using var receiver = await AlertReceiver.StartAsync();
        var t = new Setup(receiver);
        var runId = await t.StoreAsync(Channels(receiver, "slack"), on: "[regression]");
        t.Env.Remove("SLACK_HOOK");

        var result = Assert.Single(await t.Activity().RunAsync(null!, t.Request(runId)));

        Assert.Equal("failed", result.State);
        Assert.Contains("alerts.send[0].url", result.Detail, StringComparison.Ordinal);
        Assert.Contains("SLACK_HOOK", result.Detail, StringComparison.Ordinal);
    }

    private static string Channels(AlertReceiver receiver, params string[] types) =>
        "alerts:\n  send:\n" + string.Join('\n', types.Select(type => type switch
        {
            "webhook" => $"    - {{ type: webhook, url: \"{receiver.BaseUrl}/hook\" }}",
            "slack" => "    - { type: slack, url: \"${env:SLACK_HOOK}\" }",
            "teams" => "    - { type: teams, url: \"${env:TEAMS_HOOK}\" }",
            _ => "    - { type: github, repo: octo/bench, token: \"${env:GH_TOKEN}\" }",
        }));

    private sealed class Setup
    {
        private readonly ListLogger _logger = new();

        public Setup(AlertReceiver receiver, AlertDestinations? destinations = null, Uri? publicUrl = null)
        {
            Env["SLACK_HOOK"] = receiver.BaseUrl + SlackSecretPath;
            Env["TEAMS_HOOK"] = receiver.BaseUrl + TeamsSecretPath;
            Env["GH_TOKEN"] = Token;
            Options = new YardstickHostOptions
            {
                AlertDestinations = destinations ?? AlertDestinations.PublicHttpsOrLoopback,
                GitHubApi = new Uri(receiver.BaseUrl + "/"),
                AlertRetryDelay = TimeSpan.FromMilliseconds(20),
                Environment = name => Env.GetValueOrDefault(name),
                PublicUrl = publicUrl,
            };
        }

        public Dictionary<string, string> Env { get; } = [];

        public YardstickHostOptions Options { get; }

        public InMemoryArtifactStore Artifacts { get; } = new();

        public InMemoryAlertDeliveryStore Store { get; } = new();

        public IReadOnlyList<string> Logs => _logger.Lines;

        public SendAlertsActivity Activity() =>
            new(Artifacts, Store, new PlanReader(Artifacts), new AlertSender(Options, Store, TimeProvider.System), Options, TimeProvider.System, _logger);

        public async Task<string> StoreAsync(string alerts, string? on = null, bool drift = false)
        {
            var runId = RunIds.Create(DateTimeOffset.UtcNow, Guid.NewGuid());
            if (on is not null)
            {
                alerts = alerts.Replace("alerts:\n", $"alerts:\n  on: {on}\n", StringComparison.Ordinal);
            }

            await TestRuns.StoreAsync(Artifacts, runId, $"name: {Workload}\ntarget: {{ url: http://127.0.0.1:1/ }}\nload: {{ rate: 1/s, duration: 1s }}\n{alerts}\n", Options);
            var summary = new RunSummary
            {
                RunId = runId,
                Workload = Workload,
                Status = "completed",
                LatencyMs = new LatencySummary(),
                SchedulingLagMs = new LagSummary(),
                Verdict = new VerdictSummary
                {
                    Overall = "regression",
                    Explanation = "p95 is 12.0% slower than the baseline (95% CI 8.1% .. 15.9%).",
                    Metrics = [new MetricVerdictSummary { Metric = "p95", Kind = "regression", Ratio = 1.12, CiLow = 1.081, CiHigh = 1.159, Explanation = "p95 is 12.0% slower." }],
                    Thresholds = [new ThresholdSummary { Threshold = "p(95) < 200ms", Metric = "p95", Actual = 212.4, Passed = false, Explanation = "p95 was 212.4 ms, above 200 ms." }],
                    Drift = drift
                        ? new DriftSummary
                        {
                            Explanation = "Drift: p95 shifted +12.0% (95% CI +9.0% .. +15.0%), 190 ms → 212.8 ms, from run r-step on, held 6 runs after 30 (E-divisive means, p = 0.005).",
                            Metrics = [new DriftMetricSummary("p95", "r-step", DateTimeOffset.UtcNow, 190, 212.8, 0.12, 0.09, 0.15, true, 0.005, 30, 6)],
                        }
                        : null,
                },
            };
            await Artifacts.PutAsync(Workload, runId, "summary.json", YardstickJson.ToUtf8(summary), "application/json", CancellationToken.None);
            return runId;
        }

        public AlertRequest Request(string runId, bool failed = false) => new()
        {
            RunId = runId,
            Workload = Workload,
            Outcome = failed
                ? new RunOutcome { RunId = runId, Workload = Workload, Status = RunStatus.Failed, FailureReason = "PersistRunActivity failed: disk full" }
                : new RunOutcome
                {
                    RunId = runId,
                    Workload = Workload,
                    Status = RunStatus.Completed,
                    Requests = 1000,
                    Errors = 1,
                    ThroughputRps = 50,
                    P50Ms = 80,
                    P95Ms = 212.4,
                    P99Ms = 300,
                    Verdict = "regression",
                    FailedThresholds = ["p(95) < 200ms"],
                    Artifacts = Artifacts.DescribeLocation(Workload, runId),
                },
        };

        public void AssertNoSecretIn(string text)
        {
            Assert.DoesNotContain("s3cr3t", text, StringComparison.Ordinal);
            Assert.DoesNotContain(Token, text, StringComparison.Ordinal);
        }
    }

    private sealed class ListLogger : ILogger<SendAlertsActivity>
    {
        private readonly List<string> _lines = [];

        public IReadOnlyList<string> Lines
        {
            get
            {
                lock (_lines)
                {
                    return [.. _lines];
                }
            }
        }

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (_lines)
            {
                _lines.Add(formatter(state, exception));
            }
        }
    }
}
