using System.Globalization;
using BitCurrent.Ledger;
using BitCurrent.Storage.Faster;

// Submits transfer batches to a durable ledger in <data directory> until killed, from several concurrent submitters.
// Prints, one line each, flushed at once (Console.Out flushes every write):
//   open <recovery is clean: true|false> <last sequence>
//   submit <batch index>                                   before the batch is handed to the ledger
//   ack <batch index> <sequence> <timestamp> <item count>  after the ledger acknowledged it (committed)
// Batch b holds CrashWorkload.Size(b) transfers with ids CrashWorkload.TransferId(b, i) between the accounts the first
// run creates. Arguments: <data directory> <first batch index> [<concurrent submitters>]
if (args.Length < 2)
{
    Console.Error.WriteLine("usage: BitCurrent.Storage.Faster.CrashChild <data directory> <first batch index> [<submitters>]");
    return 2;
}
var directory = args[0];
var firstBatch = long.Parse(args[1], CultureInfo.InvariantCulture);
var submitters = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 4;

await using var ledger = DurableLedger.Open(CrashWorkload.Options(directory));
Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"open {ledger.Recovery.IsClean} {ledger.Recovery.LastSequence}"));
if (ledger.Recovery.CreatedNew)
{
    var created = await ledger.CreateAccountsAsync(CrashWorkload.Accounts());
    if (created.Created != CrashWorkload.AccountCount) throw new InvalidOperationException("accounts were not created");
}

var next = firstBatch - 1;
var workers = new Task[submitters];
for (var w = 0; w < submitters; w++)
{
    workers[w] = Task.Run(async () =>
    {
        var batch = new Transfer[CrashWorkload.SizeMax];
        while (true)
        {
            var index = Interlocked.Increment(ref next);
            var size = CrashWorkload.Fill(index, batch);
            Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"submit {index}"));
            var result = await ledger.CreateTransfersAsync(batch.AsSpan(0, size));
            if (result.Created != size) throw new InvalidOperationException($"batch {index}: {result.Created} of {size} created");
            Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ack {index} {result.Sequence} {result.Timestamp} {size}"));
        }
    });
}
await Task.WhenAll(workers);
return 0;
