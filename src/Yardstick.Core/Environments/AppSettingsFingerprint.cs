using System.Security.Cryptography;
using System.Text;

namespace Yardstick.Core.Environments;

/// <summary>
/// An Azure target's app settings as a run records them: the names (sorted, ordinal) and the first 16 hex digits of a
/// SHA-256 over every <c>name=value</c> pair — so a changed value shows, and no value is ever kept (they hold the
/// target's secrets). Yardstick's own cold-start counter (<see cref="ColdStartCounter"/>) is left out: the
/// <c>appSetting</c> cold-start strategy changes it on purpose during a run.
/// </summary>
public sealed record AppSettingsFingerprint
{
    /// <summary>The setting the <c>appSetting</c> cold-start strategy bumps (Yardstick.Azure's <c>WebAppsClient.ColdStartSettingName</c>).</summary>
    public const string ColdStartCounter = "YARDSTICK_COLD_START";

    public IReadOnlyList<string> Names { get; init; } = [];

    public required string Sha256 { get; init; }

    /// <summary>The fingerprint of <paramref name="settings"/> (null values hash as empty).</summary>
    public static AppSettingsFingerprint Of(IReadOnlyDictionary<string, string?> settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var names = settings.Keys.Where(n => n != ColdStartCounter).Order(StringComparer.Ordinal).ToList();
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var name in names)
        {
            // Length-prefixed, so no pair of names and values can run into another ("a=bc" vs "ab=c").
            foreach (var part in new[] { name, settings[name] ?? "" })
            {
                var bytes = Encoding.UTF8.GetBytes(part);
                hash.AppendData(BitConverter.GetBytes(bytes.Length));
                hash.AppendData(bytes);
            }
        }

        return new AppSettingsFingerprint { Names = names, Sha256 = Convert.ToHexStringLower(hash.GetHashAndReset())[..16] };
    }

    /// <summary>What differs from <paramref name="before"/>, for a change line: <c>added A, B; removed C</c>, or <c>values changed</c>.</summary>
    public string DescribeChangeFrom(AppSettingsFingerprint before)
    {
        ArgumentNullException.ThrowIfNull(before);
        var added = Names.Except(before.Names, StringComparer.Ordinal).ToList();
        var removed = before.Names.Except(Names, StringComparer.Ordinal).ToList();
        var parts = new List<string>();
        if (added.Count > 0)
        {
            parts.Add("added " + string.Join(", ", added));
        }

        if (removed.Count > 0)
        {
            parts.Add("removed " + string.Join(", ", removed));
        }

        return parts.Count == 0 ? "values changed" : string.Join("; ", parts);
    }
}
