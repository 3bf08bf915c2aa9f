using System.Text;
using Shanzhi.Import;
using Shanzhi.Tests.Infrastructure;

namespace Shanzhi.Tests.Import;

/// <summary>The shared CSV reader of the importers: invalid UTF-8 and unclosed quotes stop reading at a named line.</summary>
public sealed class CsvImportReaderTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Gbk_header_is_not_utf8_on_line_1()
    {
        await using var input = CsvImportReader.Open(new MemoryStream(Gb18030.Bytes("姓名,身份证号\r\n测试甲,1\r\n")));

        var error = await Assert.ThrowsAsync<CsvInputException>(() => input.ReadHeaderAsync(Ct));

        Assert.Equal(CsvImportReader.NotUtf8Code, error.Code);
        Assert.Equal(1, error.Line);
        Assert.Contains("CSV UTF-8", error.UserMessage);
    }

    [Fact]
    public async Task Rows_before_gbk_bytes_are_read()
    {
        byte[] bytes = [.. "name,grid\r\n测试甲,a\r\n测试乙,b\r\n"u8, .. Gb18030.Bytes("测试丙,c\r\n"), .. "测试丁,d\r\n"u8];
        await using var input = CsvImportReader.Open(new MemoryStream(bytes));
        await input.ReadHeaderAsync(Ct);

        var names = new List<string>();
        var error = await Assert.ThrowsAsync<CsvInputException>(async () =>
        {
            while (await input.ReadAsync(Ct))
            {
                names.Add(input.Reader.GetString(0));
            }
        });

        Assert.Equal(["测试甲", "测试乙"], names);
        Assert.Equal(CsvImportReader.NotUtf8Code, error.Code);
        Assert.Equal(4, error.Line);
    }

    [Fact]
    public async Task Utf8_split_across_reads_is_accepted()
    {
        // One byte per read splits every Chinese character (3 bytes in UTF-8) across reads.
        var text = "\uFEFF姓名,居住网格\r\n测试甲,\U0001F600\r\n";
        await using var input = CsvImportReader.Open(new OneBytePerReadStream(Encoding.UTF8.GetBytes(text)));

        await input.ReadHeaderAsync(Ct);
        Assert.True(await input.ReadAsync(Ct));

        Assert.Equal(["姓名", "居住网格"], input.Reader.Headers);
        Assert.Equal("\U0001F600", input.Reader.GetString(1));
        Assert.False(await input.ReadAsync(Ct));
    }

    [Fact]
    public async Task Invalid_byte_split_across_reads_is_found()
    {
        byte[] bytes = [.. "name\r\nab\r\n"u8, .. Gb18030.Bytes("测"), .. "\r\n"u8];
        await using var input = CsvImportReader.Open(new OneBytePerReadStream(bytes));
        await input.ReadHeaderAsync(Ct);
        Assert.True(await input.ReadAsync(Ct));

        var error = await Assert.ThrowsAsync<CsvInputException>(() => input.ReadAsync(Ct));

        Assert.Equal((CsvImportReader.NotUtf8Code, 3), (error.Code, error.Line));
    }

    [Fact]
    public async Task Sequence_cut_at_end_not_utf8()
    {
        byte[] bytes = [.. "name\n测试\n"u8, .. "测"u8[..2]];
        await using var input = CsvImportReader.Open(new MemoryStream(bytes));
        await input.ReadHeaderAsync(Ct);
        Assert.True(await input.ReadAsync(Ct));

        var error = await Assert.ThrowsAsync<CsvInputException>(() => input.ReadAsync(Ct));

        Assert.Equal((CsvImportReader.NotUtf8Code, 3), (error.Code, error.Line));
    }

    [Fact]
    public async Task Unclosed_quote_names_the_line_it_opens()
    {
        // The record starts on line 3, with a closed two-line field before the unclosed one on line 4.
        const string text = "name,note,grid\n测试甲,a,b\n测试乙,\"two\nlines\",\"never closed\n测试丙,c,d\n";
        await using var input = CsvImportReader.Open(new MemoryStream(Encoding.UTF8.GetBytes(text)));
        await input.ReadHeaderAsync(Ct);
        Assert.True(await input.ReadAsync(Ct));

        var error = await Assert.ThrowsAsync<CsvInputException>(() => input.ReadAsync(Ct));

        Assert.Equal((CsvImportReader.UnclosedQuoteCode, 4), (error.Code, error.Line));
    }

    [Fact]
    public async Task Header_unclosed_quote_on_line_1()
    {
        await using var input = CsvImportReader.Open(new MemoryStream("name,\"id_number\nx,y\n"u8.ToArray()));

        var error = await Assert.ThrowsAsync<CsvInputException>(() => input.ReadHeaderAsync(Ct));

        Assert.Equal((CsvImportReader.UnclosedQuoteCode, 1), (error.Code, error.Line));
    }

    [Fact]
    public async Task Escaped_and_stray_quotes_still_read()
    {
        await using var input = CsvImportReader.Open(new MemoryStream("name,note\na,\"say \"\"hi\"\"\"\nb,5\"\n"u8.ToArray()));
        await input.ReadHeaderAsync(Ct);

        Assert.True(await input.ReadAsync(Ct));
        Assert.Equal("say \"hi\"", input.Reader.GetString(1));
        Assert.True(await input.ReadAsync(Ct));
        Assert.Equal("5\"", input.Reader.GetString(1));
        Assert.False(await input.ReadAsync(Ct));
    }

    /// <summary>Returns one byte per read, as a slow network upload can.</summary>
    private sealed class OneBytePerReadStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override int Read(Span<byte> buffer) => base.Read(buffer[..Math.Min(1, buffer.Length)]);

        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(1, count));

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(1, buffer.Length)], cancellationToken);

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            base.ReadAsync(buffer, offset, Math.Min(1, count), cancellationToken);
    }
}
