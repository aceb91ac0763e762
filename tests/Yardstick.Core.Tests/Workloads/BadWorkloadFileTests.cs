using Yardstick.Core.Workloads;

namespace Yardstick.Core.Tests.Workloads;

/// <summary>
/// Each file under Workloads/Bad holds exactly one mistake; loading it must fail with exactly one error that names
/// the file, the field path, the position (where it is known) and a message saying what is wrong.
/// </summary>
public sealed class BadWorkloadFileTests
{
    public static TheoryData<string, string, string, int?, int?> Cases => new()
    {
        // file, path, distinctive part of the message, line, column
        { "unknown-field.yaml", "load.rat", "unknown field 'rat' in 'load'; did you mean 'rate'?", 5, 3 },
        { "bad-duration.yaml", "load.duration", "'10 seconds' is not valid: A duration", 6, 13 },
        { "bad-stage-rate.yaml", "load.stages[2].target", "'fast' is not valid: An arrival rate", 11, 15 },
        { "relative-url.yaml", "target.url", "'/api/hello' is not an absolute http or https URL", 3, 8 },
        { "metadata-address.yaml", "target.url", "169.254.169.254 is a link-local, cloud metadata", 3, 8 },
        { "missing-env.yaml", "target.headers.x-functions-key", "environment variable 'YARDSTICK_TEST_UNSET_KEY' (referenced as ${env:YARDSTICK_TEST_UNSET_KEY}) is not set", 5, 22 },
        { "rate-and-stages.yaml", "load.rate", "either rate (a constant arrival rate) or stages (a ramp), not both", 5, 9 },
        { "closed-without-concurrency.yaml", "load.concurrency", "the closed model needs concurrency", 5, 3 },
        { "shards-over-cap.yaml", "load.shards", "300 is above the cap of 256", 7, 11 },
        { "total-over-cap.yaml", "load", "about 144,000,000 requests (rate × duration × repeat), above the cap of 100,000,000", 5, 3 },
        { "insecure-remote.yaml", "target.insecureSkipTlsVerify", "allowed only for loopback targets", 4, 26 },
        { "lean-http2.yaml", "target.transport", "'lean' speaks HTTP/1.1 only", 5, 14 },
        { "bad-region.yaml", "cost.region", "'west-europe' is not valid: ARM region name of the app, for example eastus or westeurope (default eastus); did you mean 'westeurope'?", 9, 11 },
        { "bad-plan.yaml", "cost.plan", "'flex' is not one of: consumption, flexConsumption, flexConsumptionAlwaysReady, premium; did you mean 'flexConsumption'?", 8, 9 },
        { "bad-memory.yaml", "cost.instanceMemoryMB", "1024 is not one of: 512, 2048, 4096", 9, 21 },
        { "execution-memory.yaml", "cost.executionMemoryMB", "4096 MB is outside 128..1536", 9, 22 },
        { "margin-too-wide.yaml", "compare.margin", "0.6 is outside (0, 0.5]", 8, 11 },
        { "rolling-one.yaml", "compare.baseline", "rolling(1) needs N in 2..50", 8, 13 },
        { "coldstart-needs-azure.yaml", "coldStart.strategy", "'restart' acts on the Azure function app, so it needs target.azure", 8, 13 },
        { "sweep-bad-value.yaml", "sweep.values[1]", "'1000' is not valid: instance memory must be 512, 2048 or 4096", 11, 17 },
        { "sweep-needs-azure.yaml", "sweep", "a sweep changes settings of the Azure function app between rounds, so it needs target.azure", 8, 3 },
        { "bad-name.yaml", "name", "'Hello World' is not valid: Lowercase letters, digits and dashes", 1, 7 },
        { "syntax-error.yaml", "", "not valid YAML", 6, null },
        { "stages-sum.yaml", "load.duration", "is 10s but the stages add up to 15s", 8, 13 },
        { "method-lowercase.yaml", "target.method", "'post' is not one of: GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS; did you mean 'POST'?", 4, 11 },
        { "tag-number.yaml", "tags.build", "expected a string, found a number; put the value in quotes", 8, 10 },
        { "unknown-metric.yaml", "compare.metrics[1]", "'p97' is not valid: A gated metric: p50, p90, p95, p99", 8, 18 },
        { "stage-rate.json", "load.stages[2].target", "'fast' is not valid: An arrival rate", 8, 37 },
        { "threshold-equals.json", "thresholds[1]", "operator '==' is not supported; use <, <=, > or >= (for example 'droppedArrivals <= 0')", 5, 35 },
        { "missing-target.json", "target", "required field 'target' is missing from a workload", 1, 1 },
        { "trailing-comma.json", "", "not valid JSON: The JSON object contains a trailing comma at the end.", 4, null },
        { "unknown-field.json", "target.headerz", "unknown field 'headerz' in 'target'; did you mean 'headers'?", 5, 5 },
        { "http-version.json", "target.httpVersion", "'3' is not one of: 1.1, 2", 3, 72 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void LoadFile_BadFile_ReportsOneErrorWithPathPositionAndMessage(string file, string path, string message, int? line, int? column)
    {
        var fullPath = Path.Combine(TestWorkloads.BadDirectory, file);

        var ex = Assert.Throws<WorkloadValidationException>(() => WorkloadLoader.LoadFile(fullPath, environment: TestWorkloads.Environment));

        var error = Assert.Single(ex.Errors);
        Assert.Equal(fullPath, error.Source);
        Assert.Equal(path, error.Path);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        if (line is not null)
        {
            Assert.Equal(line, error.Line);
        }

        if (column is not null)
        {
            Assert.Equal(column, error.Column);
        }

        // The one-line form names file, position and path before the message.
        var prefix = line is null ? $"{fullPath}" : $"{fullPath}:{line}";
        Assert.StartsWith(prefix, error.ToString(), StringComparison.Ordinal);
        Assert.Contains(path.Length > 0 ? $": {path}: " : ": ", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void LoadFile_EveryBadFileIsCovered_NoFileWithoutACase()
    {
        var covered = ((IEnumerable<object[]>)Cases).Select(row => (string)row[0]).ToHashSet();
        var files = Directory.GetFiles(TestWorkloads.BadDirectory).Select(f => Path.GetFileName(f)).Where(f => f != "several-errors.yaml");

        Assert.All(files, f => Assert.Contains(f, covered));
        Assert.True(covered.Count >= 15, $"only {covered.Count} bad files");
        Assert.Contains(covered, f => f.EndsWith(".json", StringComparison.Ordinal));
    }

    [Fact]
    public void LoadFile_SeveralMistakes_ReportsAllInFileOrder()
    {
        var fullPath = Path.Combine(TestWorkloads.BadDirectory, "several-errors.yaml");

        var ex = Assert.Throws<WorkloadValidationException>(() => WorkloadLoader.LoadFile(fullPath, environment: TestWorkloads.Environment));

        Assert.Equal(["target.url", "target.metod", "load.shards", "compare.alpha"], ex.Errors.Select(e => e.Path));
        Assert.Equal([3, 4, 8, 10], ex.Errors.Select(e => e.Line ?? 0));
        Assert.Contains("'ftp://127.0.0.1/file' is not an absolute http or https URL", ex.Errors[0].Message, StringComparison.Ordinal);
        Assert.Contains("did you mean 'method'?", ex.Errors[1].Message, StringComparison.Ordinal);
        Assert.Contains("must be at least 1 (found 0)", ex.Errors[2].Message, StringComparison.Ordinal);
        Assert.Contains("must be at most 0.2 (found 0.5)", ex.Errors[3].Message, StringComparison.Ordinal);

        // The exception message lists every error, one per line, and the CLI prints it as is.
        Assert.Equal(4, ex.Describe().Split('\n').Length);
        Assert.IsAssignableFrom<InputException>(ex);
    }

    [Fact]
    public void LoadFile_MissingFile_ReportsTheFile()
    {
        var path = Path.Combine(TestWorkloads.BadDirectory, "does-not-exist.yaml");

        var ex = Assert.Throws<WorkloadValidationException>(() => WorkloadLoader.LoadFile(path));

        Assert.Contains("does not exist", Assert.Single(ex.Errors).Message, StringComparison.Ordinal);
    }
}
