using System.Runtime.InteropServices;

namespace BitCurrent.Storage.Faster.Internal;

/// <summary>
/// Crash-safe file updates: write a temporary file, fsync it, rename it over the target, fsync the directory. After a
/// crash the target is either the old file or the new one, never a mix; a leftover <c>*.tmp</c> is an unfinished write.
/// </summary>
internal static partial class Files
{
    public const string TemporarySuffix = ".tmp";

    /// <summary>Replaces <paramref name="path"/> with <paramref name="contents"/> atomically and durably.</summary>
    public static void WriteAtomically(string path, ReadOnlySpan<byte> contents)
    {
        var temporary = path + TemporarySuffix;
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            stream.Write(contents);
            stream.Flush(flushToDisk: true);
        }
        File.Move(temporary, path, overwrite: true);
        SyncDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
    }

    /// <summary>
    /// Makes a directory's entries durable (a created, renamed or deleted file survives power loss only once its
    /// directory is synced). POSIX only: on Windows NTFS journals its metadata and there is no directory handle to sync.
    /// </summary>
    public static void SyncDirectory(string directory)
    {
        if (OperatingSystem.IsWindows()) return;
        const int ReadOnlyDirectory = 0x0000 | 0x10000;   // O_RDONLY | O_DIRECTORY (Linux values)
        var flags = OperatingSystem.IsLinux() ? ReadOnlyDirectory : 0;
        var fd = Native.Open(directory, flags);
        if (fd < 0) throw new IOException($"Cannot open directory '{directory}' to sync it (errno {Marshal.GetLastPInvokeError()}).");
        try
        {
            if (Native.FSync(fd) != 0) throw new IOException($"fsync of directory '{directory}' failed (errno {Marshal.GetLastPInvokeError()}).");
        }
        finally
        {
            _ = Native.Close(fd);
        }
    }

    private static partial class Native
    {
        [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
        internal static partial int Open(string path, int flags);

        [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
        internal static partial int FSync(int fd);

        [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
        internal static partial int Close(int fd);
    }
}

/// <summary>
/// An exclusive lock on a data directory for the life of a <see cref="DurableLedger"/>: the <c>LOCK</c> file opened with
/// <see cref="FileShare.None"/> (an advisory <c>flock</c> on Linux, released by the kernel when the process dies, even
/// by SIGKILL).
/// </summary>
internal sealed class DirectoryLock : IDisposable
{
    private readonly FileStream _stream;

    private DirectoryLock(FileStream stream) => _stream = stream;

    public static DirectoryLock Acquire(string directory)
    {
        var path = Path.Combine(directory, "LOCK");
        try
        {
            return new DirectoryLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
        }
        catch (IOException e)
        {
            throw new DurableLedgerException(DurableLedgerError.DirectoryLocked,
                $"The data directory '{directory}' is open in another process or instance.", e);
        }
    }

    public void Dispose() => _stream.Dispose();
}
