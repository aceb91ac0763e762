using System.Collections.Concurrent;
using System.Text;
using Xunit.Abstractions;
using Yardstick.Core.Datasets;
using Yardstick.Core.Load;
using Yardstick.Core.Load.Requests;
using Yardstick.Core.Load.Transports;
using Yardstick.Core.Tests.Load;
using Yardstick.Testing;
using Yardstick.Core.Workloads;

namespace Yardstick.Core.Tests.Datasets;

/// <summary>Dataset rows through the real load engine to a raw loopback server: what goes on the wire.</summary>
[Collection(RealLoadCollection.Name)]
public sealed class DatasetLoadTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("ys-dataload-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Theory]
    [InlineData(TransportKind.Lean)]
    [InlineData(TransportKind.Handler)]
    public async Task Run_CsvRows_UrlEncodedInTheUrlJsonEscapedInTheBody_OnTheWire_ThenStopsWhenRowsRunOut(TransportKind kind)
    {
        var path = Path.Combine(_folder, "users.csv");
        await File.WriteAllTextAsync(path, "id,name\n\"a/b c\",\"Jo \"\"x\"\"\nnext\"\n7,Édith\n&q=1,\"back\\slash\"\n");
        var received = new ConcurrentBag<string>();
        await using var server = new RawHttpServer(async connection =>
        {
            while (await connection.ReadRequestAsync() is { } request)
            {
                received.Add(request);
                await connection.WriteAsync("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
            }
        });
        var template = new RequestTemplate
        {
            Method = "POST",
            Url = server.Url("/api/users/${data.id}?name=${data.name}"),
            Headers = [new HeaderValue("Content-Type", "application/json")],
            Body = "{\"name\":\"${data.name}\"}",
            Transport = kind,
        };
        using var rows = DatasetRows.OpenFile(path, "users.csv", new DataSpec { File = "users.csv", OnExhausted = DataExhaustion.Stop }, 0, 1, seed: 3);
        var catalog = RequestCatalog.Compile([template], new RequestCatalogOptions { Data = rows });
        var plan = new ShardPlan
        {
            RunId = "data",
            Workload = "data",
            Requests = [template],
            Model = LoadModel.Open,
            Arrivals = ArrivalCurve.Constant(Rate.FromPerSecond(20), TimeSpan.FromSeconds(1)),
            Duration = TimeSpan.FromSeconds(1),
            Connections = 1,
            MaxInFlight = 100,
            Seed = 1,
        };

        await using (var transport = HttpTransportFactory.Create(catalog, new TransportOptions { RequestTimeout = TimeSpan.FromSeconds(30), MaxConnections = 1 }))
        {
            var result = await new LoadGenerator(TimeProvider.System).RunAsync(plan, transport, progress: null, CancellationToken.None);
            Assert.Equal(3, result.Successes);
        }

        Assert.True(rows.Exhausted);
        Assert.Contains("ran out after 3 row(s)", rows.ExhaustedReason, StringComparison.Ordinal);
        var requests = received.Select(r => Encoding.UTF8.GetString(Encoding.Latin1.GetBytes(r))).OrderBy(r => r, StringComparer.Ordinal).ToList();
        output.WriteLine(string.Join("\n----\n", requests));
        Assert.Equal(3, requests.Count);
        Assert.Contains(requests, r => r.StartsWith("POST /api/users/7?name=%C3%89dith HTTP/1.1\r\n", StringComparison.Ordinal) && r.EndsWith("\r\n\r\n{\"name\":\"Édith\"}", StringComparison.Ordinal));
        Assert.Contains(requests, r => r.StartsWith("POST /api/users/a%2Fb%20c?name=Jo%20%22x%22%0Anext HTTP/1.1\r\n", StringComparison.Ordinal) && r.EndsWith("\r\n\r\n{\"name\":\"Jo \\\"x\\\"\\nnext\"}", StringComparison.Ordinal));
        Assert.Contains(requests, r => r.StartsWith("POST /api/users/%26q%3D1?name=back%5Cslash HTTP/1.1\r\n", StringComparison.Ordinal) && r.EndsWith("\r\n\r\n{\"name\":\"back\\\\slash\"}", StringComparison.Ordinal));
    }

    /// <summary>
    /// A ~100 MB JSON Lines file streams through a shard's rows with flat managed memory: the figure is printed (and in
    /// the README), not asserted tightly; the bound below only catches loading the file whole.
    /// </summary>
    [Fact]
    public void Stream_100MegabyteJsonl_ManagedMemoryStaysFarBelowTheFileSize()
    {
        var path = Path.Combine(_folder, "big.jsonl");
        long rowsWritten = 0;
        using (var writer = new StreamWriter(path, append: false, new UTF8Encoding(false), 1 << 16))
        {
            var padding = new string('p', 160);
            while (writer.BaseStream.Length < 100L * 1024 * 1024)
            {
                writer.Write("{\"id\":");
                writer.Write(rowsWritten++);
                writer.Write(",\"name\":\"user ");
                writer.Write(rowsWritten);
                writer.Write("\",\"pad\":\"");
                writer.Write(padding);
                writer.Write("\"}\n");
            }
        }

        var size = new FileInfo(path).Length;
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var before = GC.GetTotalMemory(forceFullCollection: true);
        long peak = 0;
        long read = 0;
        using (var rows = DatasetRows.OpenFile(path, "big.jsonl", new DataSpec { File = "big.jsonl", OnExhausted = DataExhaustion.Stop }, 0, 1, seed: 1))
        {
            var buffer = new DataRowBuffer(rows.Columns.Count);
            while (rows.TryRead(read, buffer))
            {
                if (++read % 50_000 == 0)
                {
                    peak = Math.Max(peak, GC.GetTotalMemory(forceFullCollection: true) - before);
                }
            }
        }

        var info = DatasetFiles.Describe(path, "big.jsonl");
        output.WriteLine($"{size / (1024.0 * 1024):F1} MB, {read} rows; peak managed growth while streaming: {peak / 1024.0:F0} KiB (GC.GetTotalMemory, after a full collection every 50,000 rows)");
        Assert.Equal(rowsWritten, read);
        Assert.Equal(rowsWritten, info.Rows);
        Assert.Equal(size, info.Bytes);
        Assert.True(peak < size / 4, $"managed memory grew by {peak} bytes streaming a {size}-byte file");
    }
}
