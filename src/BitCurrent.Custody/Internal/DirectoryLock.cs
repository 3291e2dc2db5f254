namespace BitCurrent.Custody.Internal;

/// <summary>An exclusive advisory lock on a directory (a ".lock" file opened with FileShare.None, flock on Unix), so two
/// processes never read-modify-write the same state. Released on dispose or when the process exits.</summary>
internal sealed class DirectoryLock : IDisposable
{
    private const int AttemptsMax = 50;
    private const int WaitBetweenAttemptsMs = 100;
    private readonly FileStream _stream;

    private DirectoryLock(FileStream stream) => _stream = stream;

    /// <summary>Takes the lock, waiting up to about five seconds.</summary>
    /// <exception cref="CustodyStateException"><see cref="CustodyError.StateLocked"/>.</exception>
    public static DirectoryLock Acquire(string directory, bool ownerOnly)
    {
        AtomicFile.EnsureDirectory(directory, ownerOnly);
        var path = Path.Combine(directory, ".lock");
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                var options = new FileStreamOptions { Mode = FileMode.OpenOrCreate, Access = FileAccess.ReadWrite, Share = FileShare.None };
                if (!OperatingSystem.IsWindows())
                {
                    options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
                }
                return new DirectoryLock(new FileStream(path, options));
            }
            catch (IOException) when (attempt < AttemptsMax)
            {
                Thread.Sleep(WaitBetweenAttemptsMs);
            }
            catch (IOException)
            {
                Throw.State(CustodyError.StateLocked, $"{directory} is locked by another process");
            }
        }
    }

    public void Dispose() => _stream.Dispose();
}
