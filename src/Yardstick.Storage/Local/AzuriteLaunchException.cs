namespace Yardstick.Storage.Local;

/// <summary>Azurite could not be installed or started; the message says what to install or where the log is.</summary>
public sealed class AzuriteLaunchException : Exception
{
    public AzuriteLaunchException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
