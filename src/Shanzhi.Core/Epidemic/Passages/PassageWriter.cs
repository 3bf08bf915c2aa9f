using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Shanzhi.Storage;

namespace Shanzhi.Epidemic.Passages;

/// <summary>
/// The one writer of passages. Submitted batches wait in a bounded queue. A dedicated thread takes
/// every batch waiting (up to <see cref="PassageIngestOptions.MaxRowsPerTransaction"/> rows) and
/// writes them in one transaction. Only after the commit are the observers told of the new rows
/// and each submitter completed with its own receipt. A full queue rejects a batch at once (429)
/// instead of making the caller wait or dropping rows. A failed commit fails its submitters, who
/// have no acknowledgement and resend, and the writer carries on.
/// </summary>
/// <remarks>
/// The store and the observers run on two dedicated threads, not on the thread pool, because a
/// gate check's response waits for its commit. Under HTTP load, a thread-pool hop between a
/// submission and its commit, or between the commit and the receipts, queued behind the requests. Runs as a hosted service in the web host; a process
/// without a host (the CLI) starts it with its first submission and stops it when the service
/// provider is disposed.
/// </remarks>
public sealed class PassageWriter : IPassageIngest, IHostedService, IAsyncDisposable
{
    private readonly HandOffQueue<Pending> _queue;
    // Committed groups on their way to the observers. The store thread writes the next transaction
    // meanwhile, and it waits for a free slot when the observers fall two groups behind.
    private readonly HandOffQueue<Written> _committed = new(CommittedSlots);
    private readonly SemaphoreSlim _committedSlots = new(CommittedSlots);
    private const int CommittedSlots = 2;
    private readonly IPassageObserver[] _observers;
    private readonly PassageIngestOptions _options;
    private readonly StorageOptions _storage;
    private readonly TimeProvider _clock;
    private readonly ILogger<PassageWriter> _logger;
    private readonly Lock _startLock = new();
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _started;

    /// <summary>
    /// Random id of this writer, stored with each of its transactions (<see cref="PassageCommit"/>), so
    /// that the contact index of this process skips the passages it was already given as an observer.
    /// </summary>
    public long WriterId { get; } = Random.Shared.NextInt64(1, long.MaxValue);

    /// <summary>Transactions committed, rows they held, and the time spent in the store and in the observers (for the benchmark).</summary>
    internal (long Transactions, long Rows, TimeSpan Store, TimeSpan Observers) Statistics { get; private set; }

    // Maximum times since the benchmark last read them, in stopwatch ticks: a batch's wait in the
    // queue, one transaction in the store, and the observers' handling of one committed group.
    // Each is recorded before the receipts go out, so a submitter holding its receipt can read them.
    private long _maxQueued;
    private long _maxStore;
    private long _maxObservers;

    public PassageWriter(StorageOptions storage, IEnumerable<IPassageObserver> observers, IOptions<PassageIngestOptions> options,
        TimeProvider clock, ILogger<PassageWriter> logger)
    {
        _options = options.Value;
        _storage = storage;
        _observers = [.. observers];
        _clock = clock;
        _logger = logger;
        _queue = new HandOffQueue<Pending>(Math.Max(1, _options.QueueCapacity));
    }

    public async Task<Result<IngestReceipt>> SubmitAsync(IReadOnlyList<PassageRecord> passages, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (passages.Count == 0)
        {
            return new IngestReceipt(0, 0);
        }

        EnsureStarted();
        var pending = new Pending(passages, Stopwatch.GetTimestamp(), new TaskCompletionSource<Result<IngestReceipt>>(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_queue.TryAdd(pending))
        {
            if (_queue.IsCompleted)
            {
                return PassageErrors.Stopping;
            }

            _logger.QueueFull(_options.QueueCapacity, passages.Count);
            return PassageErrors.QueueFull;
        }

        // A caller that gives up is not acknowledged, but the batch may still be committed; a resend is a duplicate.
        return await pending.Done.Task.WaitAsync(cancellationToken);
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        EnsureStarted();
        return Task.CompletedTask;
    }

    /// <summary>Stops taking batches, writes those already queued, then returns.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _queue.Complete();
        if (IsStarted())
        {
            await _stopped.Task.WaitAsync(cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Complete();
        if (IsStarted())
        {
            await _stopped.Task;
        }
    }

    private bool IsStarted()
    {
        lock (_startLock)
        {
            return _started;
        }
    }

    private void EnsureStarted()
    {
        if (Volatile.Read(ref _started))
        {
            return;
        }

        lock (_startLock)
        {
            if (_started)
            {
                return;
            }

            var publisher = new Thread(RunPublisher) { IsBackground = true, Name = "passage observers" };
            var writer = new Thread(() => RunWriter(publisher)) { IsBackground = true, Name = "passage writer" };
            publisher.Start();
            writer.Start();
            Volatile.Write(ref _started, true);
        }
    }

    private void RunWriter(Thread publisher)
    {
        _logger.WriterStarted(_storage.Provider.ToString(), _options.QueueCapacity);
        try
        {
            using var store = IPassageStore.For(_storage, WriterId);
            // Whatever is waiting goes into the next transaction at once: a single gate check is
            // committed without delay, and under load the batches that queued up during the last
            // commit share the next one.
            while (_queue.Take(out var first))
            {
                var group = new List<Pending> { first };
                var rows = first.Rows.Count;
                while (rows < _options.MaxRowsPerTransaction && _queue.TryTake(out var pending))
                {
                    group.Add(pending);
                    rows += pending.Rows.Count;
                }

                RaiseMax(ref _maxQueued, Stopwatch.GetTimestamp() - first.Submitted);
                if (Write(store, group, rows) is { } written)
                {
                    _committedSlots.Wait();
                    _committed.TryAdd(written);
                }
            }
        }
        catch (Exception exception)
        {
            // Not expected: a failed commit is handled in Write. The writer stops so that no submitter waits on a dead thread.
            _logger.WriterFailed(exception);
        }
        finally
        {
            _queue.Complete();
            while (_queue.TryTake(out var left))
            {
                left.Done.TrySetResult(PassageErrors.Stopping);
            }

            _committed.Complete();
            publisher.Join();
            _logger.WriterStopped();
            _stopped.TrySetResult();
        }
    }

    /// <summary>
    /// Hands each committed group to the observers, then to its submitters, in commit order. No
    /// receipt goes out before its passages are in the contact index.
    /// </summary>
    private void RunPublisher()
    {
        while (_committed.Take(out var written))
        {
            Publish(written);
            _committedSlots.Release();
        }
    }

    /// <summary>Writes a group in one transaction; null when it failed and its submitters already have the error.</summary>
    private Written? Write(IPassageStore store, List<Pending> group, int rows)
    {
        // Keys repeated across or inside the waiting batches are duplicates of their first occurrence,
        // so the store receives each key once and each submitter's receipt counts its own rows.
        var seen = new HashSet<(long, long)>(rows);
        var unique = new List<PassageRecord>(rows);
        var owners = new List<int>(rows);
        var accepted = new int[group.Count];
        var duplicates = new int[group.Count];
        for (var g = 0; g < group.Count; g++)
        {
            foreach (var row in group[g].Rows)
            {
                if (seen.Add((row.DeviceId, row.DeviceSequence)))
                {
                    unique.Add(row);
                    owners.Add(g);
                }
                else
                {
                    duplicates[g]++;
                }
            }
        }

        bool[] inserted;
        var started = Stopwatch.GetTimestamp();
        try
        {
            // Not cancellable: a transaction under way finishes, so that what is committed is also acknowledged.
            inserted = store.Insert(unique, _clock.GetUtcNow());
        }
        catch (Exception exception)
        {
            _logger.CommitFailed(group.Count, rows, exception);
            foreach (var pending in group)
            {
                pending.Done.TrySetResult(PassageErrors.StoreUnavailable);
            }

            return null;
        }

        var ended = Stopwatch.GetTimestamp();
        var storeTime = Stopwatch.GetElapsedTime(started, ended);
        RaiseMax(ref _maxStore, ended - started);
        var stored = new List<PassageRecord>(unique.Count);
        for (var i = 0; i < inserted.Length; i++)
        {
            if (inserted[i])
            {
                accepted[owners[i]]++;
                stored.Add(unique[i]);
            }
            else
            {
                duplicates[owners[i]]++;
            }
        }

        return new Written(group, stored, accepted, duplicates, unique.Count, storeTime);
    }

    private void Publish(Written written)
    {
        var started = Stopwatch.GetTimestamp();
        // Observers first, so a client with an acknowledgement finds its passages in the contact index too.
        Notify(written.Stored);
        var notified = Stopwatch.GetTimestamp();
        RaiseMax(ref _maxObservers, notified - started);
        var (transactions, total, storeTime, observerTime) = Statistics;
        Statistics = (transactions + 1, total + written.Rows, storeTime + written.StoreTime, observerTime + Stopwatch.GetElapsedTime(started, notified));
        for (var g = 0; g < written.Group.Count; g++)
        {
            written.Group[g].Done.TrySetResult(new IngestReceipt(written.Accepted[g], written.Duplicates[g]));
        }
    }

    /// <summary>
    /// Returns the maximum queue wait of a batch, store transaction and observer step since the
    /// last call, and starts the next interval (for the benchmark's per-second statistics).
    /// </summary>
    internal (TimeSpan Queued, TimeSpan Store, TimeSpan Observers) TakeMaxTimes() => (
        Stopwatch.GetElapsedTime(0, Interlocked.Exchange(ref _maxQueued, 0)),
        Stopwatch.GetElapsedTime(0, Interlocked.Exchange(ref _maxStore, 0)),
        Stopwatch.GetElapsedTime(0, Interlocked.Exchange(ref _maxObservers, 0)));

    private static void RaiseMax(ref long max, long value)
    {
        var seen = Volatile.Read(ref max);
        while (value > seen)
        {
            var previous = Interlocked.CompareExchange(ref max, value, seen);
            if (previous == seen)
            {
                return;
            }

            seen = previous;
        }
    }

    private void Notify(List<PassageRecord> stored)
    {
        if (stored.Count == 0)
        {
            return;
        }

        foreach (var observer in _observers)
        {
            try
            {
                observer.OnCommitted(stored);
            }
            catch (Exception exception)
            {
                _logger.ObserverFailed(observer.GetType().Name, stored.Count, exception);
            }
        }
    }

    private sealed record Pending(IReadOnlyList<PassageRecord> Rows, long Submitted, TaskCompletionSource<Result<IngestReceipt>> Done);

    /// <summary>A committed transaction: its submitters, the rows that were new, and each submitter's counts.</summary>
    private sealed record Written(List<Pending> Group, List<PassageRecord> Stored, int[] Accepted, int[] Duplicates, int Rows, TimeSpan StoreTime);
}
