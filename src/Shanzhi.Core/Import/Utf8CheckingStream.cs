using System.Buffers;
using System.Text;
using System.Text.Unicode;

namespace Shanzhi.Import;

/// <summary>
/// A read-only stream that passes its input through unchanged while checking that it is valid
/// UTF-8. At the first invalid byte it returns the valid bytes before it, then reports the end of
/// the input and sets <see cref="Error"/>. A CSV reader reads ahead, so ending the input instead of
/// throwing lets it still return every record before that line. The caller tells this end from the
/// real end of the file by <see cref="Error"/> and <see cref="ErrorLineStart"/>. A UTF-8 byte order
/// mark is valid UTF-8 and passes.
/// </summary>
internal sealed class Utf8CheckingStream(Stream inner) : Stream
{
    // The start of a multi-byte sequence that the last read ended in: at most 3 bytes, plus the
    // byte being added while it is completed.
    private readonly byte[] _pending = new byte[4];
    private int _pendingLength;

    // Line breaks (LF) in the bytes returned so far, and the offset after the last one.
    private int _lineBreaks;
    private long _lineStart;
    private long _position;

    /// <summary>The first invalid byte, with its line, or null while the input is valid so far.</summary>
    public CsvInputException? Error { get; private set; }

    /// <summary>Offset, in bytes from the start of the input, of the line that contains the first invalid byte; 0 while <see cref="Error"/> is null.</summary>
    public long ErrorLineStart { get; private set; }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer) =>
        buffer.IsEmpty || Error is not null ? 0 : Check(buffer[..inner.Read(buffer)]);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (buffer.IsEmpty || Error is not null)
        {
            return 0;
        }

        var read = await inner.ReadAsync(buffer, cancellationToken);
        return Check(buffer.Span[..read]);
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    /// <summary>Checks the bytes just read and returns how many of them the caller may use: 0 ends the input.</summary>
    private int Check(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty)
        {
            // End of input inside a multi-byte sequence.
            return _pendingLength == 0 ? 0 : Fail(data, 0);
        }

        // Complete the sequence that the previous read ended in, one byte at a time.
        var start = 0;
        while (_pendingLength > 0 && start < data.Length)
        {
            _pending[_pendingLength++] = data[start++];
            var status = Rune.DecodeFromUtf8(_pending.AsSpan(0, _pendingLength), out _, out _);
            if (status == OperationStatus.InvalidData)
            {
                // The sequence began in bytes already returned, so the input ends before this read.
                return Fail(data, 0);
            }

            if (status == OperationStatus.Done)
            {
                _pendingLength = 0;
            }
        }

        var rest = data[start..];
        var tail = IncompleteTailLength(rest);
        var body = rest[..^tail];
        if (!Utf8.IsValid(body))
        {
            return Fail(data, start + FirstInvalidIndex(body));
        }

        rest[^tail..].CopyTo(_pending);
        _pendingLength += tail;
        return Pass(data);
    }

    private int Fail(ReadOnlySpan<byte> data, int index)
    {
        var valid = Pass(data[..index]);
        Error = CsvInputException.NotUtf8(_lineBreaks + 1);
        ErrorLineStart = _lineStart;
        return valid;
    }

    /// <summary>Counts the lines of bytes handed to the caller and returns their count.</summary>
    private int Pass(ReadOnlySpan<byte> data)
    {
        var lastBreak = data.LastIndexOf((byte)'\n');
        if (lastBreak >= 0)
        {
            _lineBreaks += data.Count((byte)'\n');
            _lineStart = _position + lastBreak + 1;
        }

        _position += data.Length;
        return data.Length;
    }

    /// <summary>
    /// Returns the length of a multi-byte sequence that starts in the last 3 bytes and needs bytes
    /// past the end, or 0. Whether those bytes are valid is decided once the sequence is complete.
    /// </summary>
    private static int IncompleteTailLength(ReadOnlySpan<byte> data)
    {
        for (var length = 1; length <= Math.Min(3, data.Length); length++)
        {
            var b = data[^length];
            if ((b & 0xC0) != 0x80)
            {
                // The lead byte's high bits give the length of its sequence.
                var sequenceLength = 1;
                if (b >= 0xF0)
                {
                    sequenceLength = 4;
                }
                else if (b >= 0xE0)
                {
                    sequenceLength = 3;
                }
                else if (b >= 0xC0)
                {
                    sequenceLength = 2;
                }

                return sequenceLength > length ? length : 0;
            }
        }

        return 0;
    }

    private static int FirstInvalidIndex(ReadOnlySpan<byte> data)
    {
        var index = 0;
        while (Rune.DecodeFromUtf8(data[index..], out _, out var consumed) == OperationStatus.Done)
        {
            index += consumed;
        }

        return index;
    }
}
