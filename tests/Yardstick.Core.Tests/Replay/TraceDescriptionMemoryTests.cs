using System.Security.Cryptography;
using System.Text;
using Yardstick.Core.Replay;
using Yardstick.Core.Workloads;

namespace Yardstick.Core.Tests.Replay;

/// <summary>
/// Describing a trace streams it. Runs alone (<see cref="Load.Transports.Lean.AllocationCollection"/>): the heap is
/// measured process-wide, and a test allocating beside it made the figure meaningless.
/// </summary>
[Collection(nameof(Load.Transports.Lean.AllocationCollection))]
public sealed class TraceDescriptionMemoryTests
{
    [Fact]
    public void Describe_ALargeTrace_StreamsInBoundedMemory()
    {
        // About 55 MB of trace, generated as it is read: near its end the heap (after a full collection) has grown far
        // less than what was read since the start, so no line is kept.
        const int lines = 250_000;
        using var stream = new GeneratedTrace(lines);

        var trace = TraceDescription.Describe(stream, "big.jsonl", 1, null);

        Assert.Equal(lines, trace.Arrivals);
        Assert.True(trace.Bytes > 50L << 20, $"{trace.Bytes} bytes");
        Assert.True(stream.HeapGrowth < 32L << 20, $"heap grew by {stream.HeapGrowth} bytes reading {trace.Bytes}");
    }

    /// <summary>A trace produced line by line as it is read (never held whole).</summary>
    private sealed class GeneratedTrace(int lines) : Stream
    {
        private readonly string _pad = new('p', 160);
        private byte[] _line = [];
        private int _at;
        private int _next;

        private long _heapAtTheStart;

        /// <summary>How much the heap (after a full collection) grew from the first line to when 98 % of the lines were produced.</summary>
        public long HeapGrowth { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (_at == _line.Length)
            {
                if (_next == lines)
                {
                    return 0;
                }

                if (_next == 0)
                {
                    _heapAtTheStart = GC.GetTotalMemory(forceFullCollection: true);
                }
                else if (_next == lines * 49 / 50)
                {
                    HeapGrowth = GC.GetTotalMemory(forceFullCollection: true) - _heapAtTheStart;
                }

                _line = Encoding.ASCII.GetBytes(ReplayTraces.Line(TimeSpan.FromTicks(_next * 2000L), $"/items/{_next % 50}?pad={_pad}") + "\n");
                _next++;
                _at = 0;
            }

            var n = Math.Min(count, _line.Length - _at);
            Array.Copy(_line, _at, buffer, offset, n);
            _at += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
