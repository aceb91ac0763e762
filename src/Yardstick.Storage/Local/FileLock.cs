namespace Yardstick.Storage.Local;

/// <summary>A cross-process lock: an exclusively opened file, retried until it is free or the timeout passes.</summary>
internal sealed class FileLock : IDisposable
{
    private readonly FileStream _stream;

    private FileLock(FileStream stream) => _stream = stream;

    public static async Task<FileLock> AcquireAsync(string path, TimeSpan timeout, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (true)
        {
            try
            {
                return new FileLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
            }
            catch (IOException) when (DateTimeOffset.UtcNow < deadline)
            {
                // Held by another process (or thread): wait and retry.
                await Task.Delay(200, cancellationToken);
            }
            catch (IOException ex)
            {
                throw new AzuriteLaunchException($"Timed out after {timeout.TotalSeconds:F0} s waiting for the lock {path} (another Yardstick process is installing or starting Azurite).", ex);
            }
        }
    }

    public void Dispose() => _stream.Dispose();
}
