using Shanzhi.Epidemic.Passages;

namespace Shanzhi.Tests.Epidemic.Passages;

public sealed class HandOffQueueTests
{
    [Fact]
    public void Full_queue_rejects_until_taken()
    {
        var queue = new HandOffQueue<int>(2);

        Assert.True(queue.TryAdd(1));
        Assert.True(queue.TryAdd(2));
        Assert.False(queue.TryAdd(3));
        Assert.True(queue.TryTake(out var first));
        Assert.Equal(1, first);
        Assert.True(queue.TryAdd(3));
    }

    [Fact]
    public void Completed_queue_drains_then_stops()
    {
        var queue = new HandOffQueue<int>(10);
        queue.TryAdd(1);
        queue.TryAdd(2);

        queue.Complete();

        Assert.False(queue.TryAdd(3));
        Assert.True(queue.Take(out var a));
        Assert.True(queue.Take(out var b));
        Assert.Equal((1, 2), (a, b));
        Assert.False(queue.Take(out _));
    }

    [Fact]
    public async Task Completion_race_loses_no_item()
    {
        for (var round = 0; round < 20; round++)
        {
            var queue = new HandOffQueue<int>(int.MaxValue);
            var consumed = new List<int>();
            var consumer = new Thread(() =>
            {
                while (queue.Take(out var item))
                {
                    consumed.Add(item);
                }
            });
            consumer.Start();

            var producers = Enumerable.Range(0, 4).Select(p => Task.Run(() =>
            {
                var accepted = new List<int>();
                for (var i = 0; i < 5_000; i++)
                {
                    var item = p * 1_000_000 + i;
                    if (queue.TryAdd(item))
                    {
                        accepted.Add(item);
                    }
                }

                return accepted;
            })).ToArray();
            await Task.Delay(round % 3, TestContext.Current.CancellationToken);
            queue.Complete();
            var accepted = (await Task.WhenAll(producers)).SelectMany(a => a).Order().ToList();
            Assert.True(consumer.Join(TimeSpan.FromSeconds(30)), "the consumer did not stop after completion");

            Assert.Equal(accepted, consumed.Order().ToList());
        }
    }
}
