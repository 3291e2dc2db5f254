using System.Text;

namespace BitCurrent.Custody.Internal;

/// <summary>Unicode normalization where the process has it. In globalization-invariant mode (no ICU)
/// <see cref="string.Normalize(NormalizationForm)"/> returns its input unchanged, so a secret derived from normalized
/// text would silently differ from every other implementation's; callers refuse non-ASCII text there instead.</summary>
internal static class UnicodeText
{
    /// <summary>True when <see cref="string.Normalize(NormalizationForm)"/> really normalizes in this process:
    /// 'Å' (U+00C5) decomposes to 'A' + U+030A wherever normalization works and comes back unchanged where it does not.</summary>
    public static bool NormalizationAvailable { get; } = "\u00C5".Normalize(NormalizationForm.FormD) == "A\u030A";
}
