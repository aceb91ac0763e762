namespace Yardstick.Core.Datasets;

/// <summary>
/// A read-only, forward-only stream over another one, for wrappers that watch or translate what is read (hashing a
/// dataset as it is described, translating a blob's conditional-read failures): derived classes implement
/// <see cref="Read(Span{byte})"/>; everything else is refused, and disposing disposes the inner stream.
/// </summary>
public abstract class ForwardOnlyReadStream(Stream inner) : Stream
{
    /// <summary>The stream read from.</summary>
    protected Stream Inner { get; } = inner;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    /// <summary>Bytes read so far.</summary>
    public override long Position
    {
        get => Consumed;
        set => throw new NotSupportedException();
    }

    /// <summary>Bytes read so far; derived classes add what each read returned.</summary>
    protected long Consumed { get; set; }

    public override abstract int Read(Span<byte> buffer);

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
