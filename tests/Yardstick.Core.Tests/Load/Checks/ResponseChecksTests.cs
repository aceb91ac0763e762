using System.Diagnostics;
using System.Text;
using Yardstick.Core.Load.Checks;
using Yardstick.Core.Load.Transports;

namespace Yardstick.Core.Tests.Load.Checks;

/// <summary>Evaluating checks on a response: each kind passing and failing, and the bounded body capture.</summary>
public sealed class ResponseChecksTests
{
    private static ResponseChecks Compile(params string[] checks) => ResponseChecks.Compile(checks.Select(c => new CheckSpec(c)).ToList(), "checks")!;

    private static ExchangeResult Response(int status = 200, int bytes = 10, double ms = 5)
    {
        var start = Stopwatch.GetTimestamp();
        return new ExchangeResult
        {
            Outcome = ExchangeOutcome.Response,
            StatusCode = status,
            BytesReceived = bytes,
            StartTimestamp = start,
            EndTimestamp = start + (long)(ms * Stopwatch.Frequency / 1000),
        };
    }

    private static ResponseCapture Capture(ResponseChecks checks, string body, params (string Name, string Value)[] headers)
    {
        var capture = new ResponseCapture(checks.HeaderNames.Count);
        capture.Begin(checks);
        foreach (var (name, value) in headers)
        {
            capture.OnHeader(Encoding.ASCII.GetBytes(name), Encoding.ASCII.GetBytes(value));
        }

        capture.OnBody(Encoding.UTF8.GetBytes(body));
        return capture;
    }

    [Fact]
    public void Evaluate_StatusSizeLatency_NeedNoCapture()
    {
        var checks = Compile("status in [200, 201]", "size <= 100", "latency < 1s");

        Assert.False(checks.NeedsCapture);
        Assert.Equal(0u, checks.Evaluate(Response(), capture: null));
        Assert.Equal(0b001u, checks.Evaluate(Response(status: 204), capture: null));
        Assert.Equal(0b010u, checks.Evaluate(Response(bytes: 101), capture: null));
        Assert.Equal(0b100u, checks.Evaluate(Response(ms: 1500), capture: null));
    }

    [Fact]
    public void Evaluate_Headers_ContainsIgnoresCaseAndMissingFails()
    {
        var checks = Compile("header content-type ~ JSON", "header etag exists", "header x-v != 1");
        var good = Capture(checks, "", ("Content-Type", "application/json; charset=utf-8"), ("ETag", "\"abc\""));
        var bad = Capture(checks, "", ("Content-Type", "text/plain"), ("x-v", "1"));

        Assert.Equal(0u, checks.Evaluate(Response(), good));
        Assert.Equal(0b111u, checks.Evaluate(Response(), bad));
    }

    [Fact]
    public void Evaluate_Json_PathsLengthsAndTypes()
    {
        var checks = Compile(
            "json $.status == \"ok\"", "json $.items.length > 0", "json $.items[1].id == 2", "json $.missing != 1", "json $.paid == true", "json $.count >= 2");
        var good = Capture(checks, """{"status":"ok","count":2,"paid":true,"items":[{"id":1},{"id":2}]}""");
        var wrong = Capture(checks, """{"status":"degraded","count":"2","paid":false,"items":[],"missing":1}""");
        var notJson = Capture(checks, "Hello from Yardstick's sample target");

        Assert.Equal(0u, checks.Evaluate(Response(), good));
        Assert.Equal(0b111111u, checks.Evaluate(Response(), wrong));
        Assert.Equal(0b111111u, checks.Evaluate(Response(), notJson));
    }

    [Fact]
    public void Evaluate_Body_ContainsAndNotContains()
    {
        var checks = Compile("body contains ok", "body !contains error");

        Assert.Equal(0u, checks.Evaluate(Response(), Capture(checks, "all ok")));
        Assert.Equal(0b11u, checks.Evaluate(Response(), Capture(checks, "an error")));
    }

    [Fact]
    public void Capture_HugeBody_KeepsAtMostTheCapAndFailsBodyChecks()
    {
        var checks = Compile("body contains needle", "size <= 1KB");
        var capture = new ResponseCapture(0);
        capture.Begin(checks);
        var chunk = new byte[64 * 1024];
        for (var i = 0; i < 1024; i++)
        {
            capture.OnBody(chunk); // 64 MiB in all
        }

        capture.OnBody("needle"u8);

        Assert.True(capture.BodyTruncated);
        Assert.True(capture.Body.Length <= ResponseCapture.MaxBodyBytes);
        Assert.Equal(0b11u, checks.Evaluate(Response(bytes: 64 * 1024 * 1024), capture));
    }

    [Fact]
    public void Capture_WithoutBodyChecks_KeepsNoBody()
    {
        var checks = Compile("header content-type ~ json");
        var capture = Capture(checks, "a body nobody asked for", ("content-type", "application/json"));

        Assert.Equal(0, capture.Body.Length);
        Assert.Equal(0u, checks.Evaluate(Response(), capture));
    }

    [Fact]
    public void Describe_NamesTheFirstFailedCheck()
    {
        var checks = ResponseChecks.Compile([new CheckSpec("status == 200", "ok"), new CheckSpec("size < 10", "small")], "checks")!;

        Assert.Equal("check 'small' failed", checks.Describe(0b10));
    }
}
