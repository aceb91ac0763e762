using Yardstick.Core;

namespace Yardstick.Orchestration.Hosting;

/// <summary>
/// The Durable task hub name rule of the Azure Storage backend: 3–45 ASCII letters and digits, starting with a letter
/// (it prefixes the hub's queues, tables and containers). infra/main.bicep checks the same rule on its parameter.
/// </summary>
public static class TaskHubName
{
    public const int MinLength = 3;
    public const int MaxLength = 45;

    /// <summary>Returns <paramref name="name"/> when valid, null when null.</summary>
    /// <exception cref="InputException">Naming <paramref name="key"/>, the setting or option it came from.</exception>
    public static string? Check(string? name, string key)
    {
        if (name is null)
        {
            return null;
        }

        if (name.Length is < MinLength or > MaxLength || !char.IsAsciiLetter(name[0]) || !name.All(char.IsAsciiLetterOrDigit))
        {
            throw new InputException(key, $"'{name}' is not a valid task hub name: {MinLength} to {MaxLength} letters and digits, starting with a letter.");
        }

        return name;
    }
}
