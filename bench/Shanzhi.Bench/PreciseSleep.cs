using System.Runtime.InteropServices;

namespace Shanzhi.Bench;

/// <summary>
/// Sleeps for less than a millisecond. <see cref="Thread.Sleep(TimeSpan)"/> rounds to whole
/// milliseconds, so a schedule paced with it sends in bursts up to 1 ms late. On Linux,
/// <c>nanosleep</c> wakes within the thread's timer slack (50 µs by default, see prctl(2)).
/// </summary>
internal static partial class PreciseSleep
{
    /// <summary>Sleeps for about <paramref name="span"/>, or for at least 1 ms where <c>nanosleep</c> is not available.</summary>
    public static void For(TimeSpan span)
    {
        if (!OperatingSystem.IsLinux())
        {
            Thread.Sleep(1);
            return;
        }

        var nanoseconds = Math.Max(1L, (long)(span.Ticks * 100));
        var request = new Timespec(nanoseconds / 1_000_000_000, nanoseconds % 1_000_000_000);
        // An interrupted sleep (EINTR) returns early; the caller's loop sleeps again for what is left.
        _ = NanoSleep(in request, 0);
    }

    [StructLayout(LayoutKind.Sequential)]
    private readonly record struct Timespec(long Seconds, long Nanoseconds);

    [LibraryImport("libc", EntryPoint = "nanosleep")]
    private static partial int NanoSleep(in Timespec request, nint remaining);
}
