namespace Yardstick.Storage;

/// <summary>
/// Runs a creation step (table or container "create if not exists") once per store and shares it between
/// concurrent callers. A failed attempt is forgotten so the next call tries again.
/// </summary>
internal sealed class CreateOnce
{
    private readonly Func<Task> _create;
    private readonly Lock _lock = new();
    private Task? _creation;

    public CreateOnce(Func<Task> create) => _create = create;

    public async Task EnsureAsync(CancellationToken cancellationToken)
    {
        Task creation;
        lock (_lock)
        {
            // One caller's cancellation must not cancel the shared creation, so it runs without a token.
            creation = _creation ??= _create();
        }

        if (creation.IsCompletedSuccessfully)
        {
            return;
        }

        try
        {
            await creation.WaitAsync(cancellationToken);
        }
        catch when (creation.IsFaulted || creation.IsCanceled)
        {
            lock (_lock)
            {
                if (ReferenceEquals(_creation, creation))
                {
                    _creation = null;
                }
            }

            throw;
        }
    }
}
