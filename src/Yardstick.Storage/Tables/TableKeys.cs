using System.Globalization;
using System.Text;
using Yardstick.Core;

namespace Yardstick.Storage.Tables;

/// <summary>
/// Encodes arbitrary text into Azure Table partition and row keys.
/// </summary>
/// <remarks>
/// Table keys may not contain <c>/</c>, <c>\</c>, <c>#</c>, <c>?</c> or control characters (U+0000–U+001F,
/// U+007F–U+009F) and are at most 1 KiB. Each such character, and also <c>%</c> (mishandled in key URLs by some
/// clients), the escape character <c>~</c> and the component separator <c>|</c>, is written as <c>~</c> followed by
/// two uppercase hex digits of its code (all are below U+0100): <c>a/b</c> → <c>a~2Fb</c>, <c>~</c> → <c>~7E</c>.
/// Everything else is kept, so ordinary names stay readable and keep their sort order. Because an encoded
/// component never contains <c>|</c>, joining components with <c>|</c> is unambiguous, and a key that starts with
/// <c>~</c> followed by a non-hex letter (such as <c>~runs</c>) can never be produced by encoding: such keys are
/// reserved for internal partitions.
/// </remarks>
public static class TableKeys
{
    /// <summary>Longest key Azure Tables accepts, in characters (1 KiB).</summary>
    public const int MaxKeyLength = 1024;

    public const char EscapeChar = '~';

    public const char Separator = '|';

    /// <summary>Encodes one key component (see the type remarks).</summary>
    public static string Escape(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (!value.Any(NeedsEscape))
        {
            return value;
        }

        var builder = new StringBuilder(value.Length + 8);
        foreach (var c in value)
        {
            if (NeedsEscape(c))
            {
                builder.Append(EscapeChar).Append(((int)c).ToString("X2", CultureInfo.InvariantCulture));
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    /// <summary>Reverses <see cref="Escape"/>.</summary>
    public static string Unescape(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (!key.Contains(EscapeChar, StringComparison.Ordinal))
        {
            return key;
        }

        var builder = new StringBuilder(key.Length);
        for (var i = 0; i < key.Length; i++)
        {
            if (key[i] == EscapeChar && i + 2 < key.Length && IsHex(key[i + 1]) && IsHex(key[i + 2]))
            {
                builder.Append((char)int.Parse(key.AsSpan(i + 1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                i += 2;
            }
            else
            {
                builder.Append(key[i]);
            }
        }

        return builder.ToString();
    }

    /// <summary>Encodes each component and joins them with <see cref="Separator"/>; null or empty components are left out at the end only.</summary>
    public static string Compose(params string?[] components)
    {
        var count = components.Length;
        while (count > 0 && string.IsNullOrEmpty(components[count - 1]))
        {
            count--;
        }

        return string.Join(Separator, components.Take(count).Select(c => Escape(c ?? "")));
    }

    /// <summary>Encodes <paramref name="value"/> and checks the length limit, naming <paramref name="field"/> when it is too long or empty.</summary>
    public static string ToKey(string value, string field)
    {
        if (string.IsNullOrEmpty(value))
        {
            throw new InputException(field, "must not be empty.");
        }

        return CheckLength(Escape(value), field);
    }

    /// <summary>Throws an <see cref="InputException"/> naming <paramref name="field"/> when <paramref name="key"/> exceeds <see cref="MaxKeyLength"/>.</summary>
    public static string CheckLength(string key, string field) =>
        key.Length <= MaxKeyLength
            ? key
            : throw new InputException(field, $"is too long for a table key ({key.Length} characters after encoding; at most {MaxKeyLength}).");

    private static bool NeedsEscape(char c) =>
        c is '/' or '\\' or '#' or '?' or '%' or EscapeChar or Separator || char.IsControl(c);

    private static bool IsHex(char c) => char.IsAsciiHexDigitUpper(c) || char.IsAsciiDigit(c);
}
