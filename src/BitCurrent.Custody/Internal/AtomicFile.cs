using System.Security.Cryptography;

namespace BitCurrent.Custody.Internal;

/// <summary>
/// Crash-safe file writes: the content goes to a temporary file in the same directory (created owner-only when asked, so
/// there is no moment when a secret is readable by others), is flushed to disk (fsync), and is then renamed over the
/// target. A reader sees the old file or the new one, never a torn one.
/// </summary>
internal static class AtomicFile
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OwnerOnlyDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode Shared = OwnerOnly | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    /// <summary>Writes <paramref name="content"/> to <paramref name="path"/> atomically.</summary>
    /// <param name="path">Target file.</param>
    /// <param name="content">Bytes to write.</param>
    /// <param name="ownerOnly">Create the file with mode 0600 (else 0644, less the umask).</param>
    /// <param name="overwrite">Replace an existing file; when false an existing file makes this return false and nothing changes.</param>
    /// <returns>False only when <paramref name="overwrite"/> is false and the target exists.</returns>
    public static bool Write(string path, ReadOnlySpan<byte> content, bool ownerOnly, bool overwrite = true)
    {
        var full = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(full)!;
        EnsureDirectory(directory, ownerOnly);
        if (!overwrite && File.Exists(full))
        {
            return false;
        }
        Span<byte> tag = stackalloc byte[8];
        RandomNumberGenerator.Fill(tag);
        var temp = Path.Combine(directory, $".{Path.GetFileName(full)}.{Convert.ToHexStringLower(tag)}.tmp");
        try
        {
            var options = new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                Share = FileShare.None,
            };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = ownerOnly ? OwnerOnly : Shared;
            }
            using (var stream = new FileStream(temp, options))
            {
                stream.Write(content);
                stream.Flush(flushToDisk: true);
            }
            if (overwrite)
            {
                File.Move(temp, full, overwrite: true);
            }
            else
            {
                try
                {
                    // No-overwrite move: fails instead of replacing a file created since the check above.
                    File.Move(temp, full, overwrite: false);
                }
                catch (IOException) when (File.Exists(full))
                {
                    return false;
                }
            }
            return true;
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }
    }

    /// <summary>Creates a directory (and parents); a new directory holding secrets is created 0700.</summary>
    public static void EnsureDirectory(string directory, bool ownerOnly)
    {
        if (Directory.Exists(directory))
        {
            return;
        }
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(directory);
        }
        else
        {
            Directory.CreateDirectory(directory, ownerOnly ? OwnerOnlyDirectory : OwnerOnlyDirectory | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        }
    }

    /// <summary>True when the file's mode gives any access to the group or to others (always false on Windows).</summary>
    public static bool IsAccessibleByOthers(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return false;
        }
        var mode = File.GetUnixFileMode(path);
        const UnixFileMode others = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute |
                                    UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;
        return (mode & others) != 0;
    }
}
