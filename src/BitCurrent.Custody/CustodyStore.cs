using System.Text;
using System.Text.Json;
using BitCurrent.Custody.Internal;

namespace BitCurrent.Custody;

/// <summary>A user's deposit address.</summary>
/// <param name="UserId">The user.</param>
/// <param name="Index">Index on the hot wallet's receive chain (m/84'/coin'/0'/0/index).</param>
/// <param name="Address">The address.</param>
/// <param name="AssignedAt">When it was given out.</param>
public sealed record DepositAddress(ulong UserId, uint Index, string Address, DateTimeOffset AssignedAt);

/// <summary>
/// The custody state of one data directory, under <c>DATA/custody/</c>: <c>state.json</c> (wallets, address indexes, deposits,
/// withdrawals, whitelist, rebalancings, proof-of-reserves draft — one file, so every change is one atomic write),
/// <c>policy.json</c> (the operator's settings, <see cref="CustodyPolicy"/>) and <c>audit.jsonl</c> (an append-only event log).
/// Opening takes an exclusive lock on the directory until <see cref="Dispose"/>, so CLI invocations never interleave.
/// </summary>
/// <remarks>Files are written to a temporary file, flushed to disk and renamed (crash-safe); the custody directory is created 0700.</remarks>
public sealed class CustodyStore : IDisposable
{
    /// <summary>The state file's name.</summary>
    public const string StateFileName = "state.json";

    /// <summary>The policy file's name.</summary>
    public const string PolicyFileName = "policy.json";

    /// <summary>The audit log's name.</summary>
    public const string AuditFileName = "audit.jsonl";

    private const string FormatName = "bitcurrent-custody-state";
    private const int FormatVersion = 1;

    private readonly DirectoryLock _lock;
    private ColdWallet? _cold;
    private HotWallet? _hot;

    private CustodyStore(string dataDirectory, DirectoryLock directoryLock, TimeProvider time, CustodyStateDocument state, CustodyPolicy policy, Network network)
    {
        DataDirectory = dataDirectory;
        _lock = directoryLock;
        Time = time;
        State = state;
        Policy = policy;
        Network = network;
    }

    /// <summary>Opens (or creates) the custody state in <paramref name="dataDirectory"/>.</summary>
    /// <param name="dataDirectory">The data directory (custody files go to its custody/ folder).</param>
    /// <param name="time">The clock for every timestamp.</param>
    /// <param name="network">Network for a new directory (default regtest); for an existing one it must match, when given.</param>
    /// <exception cref="CustodyStateException"><see cref="CustodyError.StateLocked"/>, <see cref="CustodyError.StateFileCorrupt"/>,
    /// <see cref="CustodyError.StateVersionUnsupported"/>, <see cref="CustodyError.NetworkMismatch"/>.</exception>
    /// <exception cref="WithdrawalException"><see cref="CustodyError.WithdrawalPolicyInvalid"/> for a bad policy.json.</exception>
    public static CustodyStore Open(string dataDirectory, TimeProvider time, Network? network = null)
    {
        ArgumentNullException.ThrowIfNull(dataDirectory);
        ArgumentNullException.ThrowIfNull(time);
        var data = Path.GetFullPath(dataDirectory);
        var custody = Path.Combine(data, "custody");
        var directoryLock = DirectoryLock.Acquire(custody, ownerOnly: true);
        try
        {
            var statePath = Path.Combine(custody, StateFileName);
            CustodyStateDocument state;
            Network effective;
            if (File.Exists(statePath))
            {
                state = Read<CustodyStateDocument>(statePath);
                if (state.Format != FormatName || state.Network is null)
                {
                    Throw.State(CustodyError.StateFileCorrupt, $"{statePath} is not a custody state file");
                }
                if (state.Version != FormatVersion)
                {
                    Throw.State(CustodyError.StateVersionUnsupported, $"{statePath} has version {state.Version}; this library reads {FormatVersion}");
                }
                if (!NetworkNames.TryParse(state.Network, out effective))
                {
                    Throw.State(CustodyError.StateFileCorrupt, $"{statePath}: unknown network '{state.Network}'");
                }
                if (network is { } wanted && wanted != effective)
                {
                    Throw.State(CustodyError.NetworkMismatch, $"{data} holds {NetworkNames.Name(effective)} custody state, not {NetworkNames.Name(wanted)}");
                }
            }
            else
            {
                effective = network ?? Network.Regtest;
                state = new CustodyStateDocument { Format = FormatName, Version = FormatVersion, Network = NetworkNames.Name(effective) };
            }
            var policyPath = Path.Combine(custody, PolicyFileName);
            CustodyPolicy policy;
            if (File.Exists(policyPath))
            {
                policy = Read<CustodyPolicy>(policyPath);
            }
            else
            {
                policy = new CustodyPolicy();
                AtomicFile.Write(policyPath, JsonSerializer.SerializeToUtf8Bytes(policy, CustodyJson.Options), ownerOnly: true);
            }
            policy.Validate();
            var store = new CustodyStore(data, directoryLock, time, state, policy, effective);
            store.Materialize();
            return store;
        }
        catch
        {
            directoryLock.Dispose();
            throw;
        }
    }

    /// <summary>The data directory.</summary>
    public string DataDirectory { get; }

    /// <summary>DATA/custody.</summary>
    public string CustodyDirectory => Path.Combine(DataDirectory, "custody");

    /// <summary>DATA/chain (the simulated chain's folder).</summary>
    public string ChainDirectory => Path.Combine(DataDirectory, "chain");

    /// <summary>The network of this directory.</summary>
    public Network Network { get; }

    /// <summary>The clock.</summary>
    public TimeProvider Time { get; }

    /// <summary>The operator's settings.</summary>
    public CustodyPolicy Policy { get; private set; }

    /// <summary>The cold wallet, once created.</summary>
    public ColdWallet? ColdWallet => _cold;

    /// <summary>The hot wallet, once created.</summary>
    public HotWallet? HotWallet => _hot;

    /// <summary>Users' deposit addresses.</summary>
    public IReadOnlyList<DepositAddress> DepositAddresses => State.Hot?.DepositAddresses ?? [];

    /// <summary>Every deposit seen.</summary>
    public IReadOnlyList<DepositRecord> Deposits => State.Deposits;

    /// <summary>Every withdrawal.</summary>
    public IReadOnlyList<WithdrawalRecord> Withdrawals => State.Withdrawals;

    /// <summary>Every whitelisted destination.</summary>
    public IReadOnlyList<WhitelistEntry> Whitelist => State.Whitelist;

    /// <summary>Every rebalancing.</summary>
    public IReadOnlyList<RebalanceRecord> Rebalances => State.Rebalances;

    /// <summary>The hot wallet's key file path recorded at creation (informational), if any.</summary>
    public string? HotKeyFile => State.Hot?.KeyFile;

    internal CustodyStateDocument State { get; }

    /// <summary>Replaces the policy (validated) and writes policy.json.</summary>
    public void SavePolicy(CustodyPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        policy.Validate();
        AtomicFile.Write(Path.Combine(CustodyDirectory, PolicyFileName), JsonSerializer.SerializeToUtf8Bytes(policy, CustodyJson.Options), ownerOnly: true);
        Policy = policy;
    }

    /// <summary>The audit log, oldest first.</summary>
    public IReadOnlyList<CustodyEvent> ReadAuditLog()
    {
        var path = Path.Combine(CustodyDirectory, AuditFileName);
        if (!File.Exists(path))
        {
            return [];
        }
        var result = new List<CustodyEvent>();
        foreach (var line in File.ReadLines(path))
        {
            if (line.Length == 0)
            {
                continue;
            }
            try
            {
                result.Add(JsonSerializer.Deserialize<CustodyEvent>(line, CustodyJson.Options)!);
            }
            catch (JsonException)
            {
                Throw.State(CustodyError.StateFileCorrupt, $"{path}: a line does not parse");
            }
        }
        return result;
    }

    /// <summary>Releases the directory lock.</summary>
    public void Dispose() => _lock.Dispose();

    /// <summary>Writes the state atomically, then appends <paramref name="events"/> to the audit log (flushed to disk).</summary>
    internal void Commit(IReadOnlyCollection<CustodyEvent> events)
    {
        AtomicFile.Write(Path.Combine(CustodyDirectory, StateFileName), JsonSerializer.SerializeToUtf8Bytes(State, CustodyJson.Options), ownerOnly: true);
        Materialize();
        if (events.Count == 0)
        {
            return;
        }
        var text = new StringBuilder();
        foreach (var e in events)
        {
            text.Append(JsonSerializer.Serialize(e, CustodyJson.CompactOptions)).Append('\n');
        }
        var options = new FileStreamOptions { Mode = FileMode.Append, Access = FileAccess.Write, Share = FileShare.Read };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        using var stream = new FileStream(Path.Combine(CustodyDirectory, AuditFileName), options);
        stream.Write(Encoding.UTF8.GetBytes(text.ToString()));
        stream.Flush(flushToDisk: true);
    }

    private void Materialize()
    {
        if (State.Cold is { } cold && _cold is null)
        {
            if (cold.Signers is null || cold.ReceiveDescriptor is null)
            {
                Throw.State(CustodyError.StateFileCorrupt, "the cold wallet record lacks its signers or descriptor");
            }
            _cold = new ColdWallet(cold.Threshold, cold.Signers.ConvertAll(s => AccountKey.Parse(s, Network)), Network);
            if (_cold.ReceiveDescriptor != cold.ReceiveDescriptor || _cold.ChangeDescriptor != cold.ChangeDescriptor)
            {
                Throw.State(CustodyError.DescriptorChecksumMismatch, "the stored cold wallet descriptor does not match its signers (edited state?)");
            }
        }
        if (State.Hot is { } hot && _hot is null)
        {
            if (hot.Account is null)
            {
                Throw.State(CustodyError.StateFileCorrupt, "the hot wallet record lacks its account key");
            }
            _hot = new HotWallet(AccountKey.Parse(hot.Account, Network), Network);
        }
    }

    private static T Read<T>(string path) where T : class
    {
        try
        {
            return JsonSerializer.Deserialize<T>(File.ReadAllBytes(path), CustodyJson.Options)
                ?? throw new CustodyStateException(CustodyError.StateFileCorrupt, $"{path} is empty");
        }
        catch (JsonException e)
        {
            Throw.State(CustodyError.StateFileCorrupt, $"{path} does not parse: {e.Message}");
            return null;
        }
    }
}
