using Shanzhi.Cases;
using Shanzhi.Tests.Infrastructure;

namespace Shanzhi.Tests.Cases;

public sealed class AttachmentServiceTests
{
    // Whole (if tiny) files: the service checks the end-of-image marker, the IEND chunk and the RIFF size.
    private static readonly byte[] Jpeg = [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, .. "JFIF"u8, 0x00, 0x01, 0x02, 0xFF, 0xD9];
    private static readonly byte[] Png = Convert.FromBase64String(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==");
    private static readonly byte[] Webp = [.. "RIFF"u8, 0x08, 0x00, 0x00, 0x00, .. "WEBP"u8, .. "VP8 "u8];

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Photo_is_stored_by_month_and_recorded_on_case(StoreKind kind)
    {
        await using var world = await CaseWorld.CreateAsync(kind);
        var @case = await world.ReportAsync();
        var ct = TestContext.Current.CancellationToken;
        await using var db = world.NewContext();

        var result = await world.Attachments(db).AddAsync(@case.Id, AttachmentStage.Report, "image/jpeg", new MemoryStream(Jpeg), world.Operator, ct);

        var attachment = result.Value!;
        var file = Path.Combine(world.Store.Options.AttachmentDirectory, "2026", "03", attachment.Id + ".jpg");
        var events = await world.EventsAsync(@case.Id);
        Assert.Equal($"2026/03/{attachment.Id}.jpg", attachment.StoragePath);
        Assert.Equal(Jpeg, await File.ReadAllBytesAsync(file, ct));
        Assert.Equal(Jpeg.Length, attachment.Size);
        Assert.Equal(CaseEventType.AttachmentAdded, events[^1].Type);
        Assert.Equal($"Report:{attachment.Id}", events[^1].Value);
        Assert.Equal(2, (await world.GetAsync(@case.Id)).EventCount);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Png_and_webp_are_accepted(StoreKind kind)
    {
        await using var world = await CaseWorld.CreateAsync(kind);
        var @case = await world.ReportAsync();
        var ct = TestContext.Current.CancellationToken;
        await using var db = world.NewContext();
        var attachments = world.Attachments(db);

        var png = await attachments.AddAsync(@case.Id, AttachmentStage.Report, "image/png", new MemoryStream(Png), world.Operator, ct);
        var webp = await attachments.AddAsync(@case.Id, AttachmentStage.Report, "IMAGE/WEBP", new MemoryStream(Webp), world.Operator, ct);

        Assert.Equal("image/png", png.Value?.ContentType);
        Assert.Equal("image/webp", webp.Value?.ContentType);
        Assert.EndsWith(".webp", webp.Value?.StoragePath);
    }

    public static TheoryData<StoreKind, string, string> Rejected()
    {
        var data = new TheoryData<StoreKind, string, string>();
        foreach (var kind in Enum.GetValues<StoreKind>())
        {
            data.Add(kind, "png declared as jpeg", "attachment.unsupported_type");
            data.Add(kind, "text declared as jpeg", "attachment.unsupported_type");
            data.Add(kind, "gif", "attachment.unsupported_type");
            data.Add(kind, "too large", "attachment.too_large");
            data.Add(kind, "empty", "attachment.empty");
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Rejected))]
    public async Task Bad_upload_is_rejected_and_nothing_stored(StoreKind kind, string problem, string code)
    {
        await using var world = await CaseWorld.CreateAsync(kind);
        world.Options.Attachments.MaxBytes = 1024;
        var @case = await world.ReportAsync();
        var (contentType, bytes) = problem switch
        {
            "png declared as jpeg" => ("image/jpeg", Png),
            "text declared as jpeg" => ("image/jpeg", "<script>alert(1)</script>"u8.ToArray()),
            "gif" => ("image/gif", "GIF89a\x01\x00\x01\x00"u8.ToArray()),
            "too large" => ("image/jpeg", [.. Jpeg, .. new byte[1024]]),
            "empty" => ("image/jpeg", Array.Empty<byte>()),
            _ => throw new ArgumentOutOfRangeException(nameof(problem), problem, null),
        };
        var before = await world.SnapshotAsync();

        await using var db = world.NewContext();
        var result = await world.Attachments(db).AddAsync(@case.Id, AttachmentStage.Report, contentType, new MemoryStream(bytes),
            world.Operator, TestContext.Current.CancellationToken);

        Assert.Equal(code, result.Error?.Code);
        Assert.Equal("file", result.Error?.Field);
        Assert.Equal(before, await world.SnapshotAsync());
        Assert.False(Directory.Exists(world.Store.Options.AttachmentDirectory)
            && Directory.EnumerateFiles(world.Store.Options.AttachmentDirectory, "*", SearchOption.AllDirectories).Any());
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Photo_cannot_be_added_to_closed_case(StoreKind kind)
    {
        await using var world = await CaseWorld.CreateAsync(kind);
        var closed = await world.DriveToAsync(CaseState.Closed);
        await using var db = world.NewContext();

        var result = await world.Attachments(db).AddAsync(closed.Id, AttachmentStage.Verification, "image/jpeg", new MemoryStream(Jpeg),
            world.Verifier, TestContext.Current.CancellationToken);

        Assert.Equal("attachment.case_finished", result.Error?.Code);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Open_and_list_only_within_scope(StoreKind kind)
    {
        await using var world = await CaseWorld.CreateAsync(kind);
        var inStreetB = await world.ReportAsync(CaseWorld.InStreetB);
        var ct = TestContext.Current.CancellationToken;
        await using var db = world.NewContext();
        var attachments = world.Attachments(db);
        var added = (await attachments.AddAsync(inStreetB.Id, AttachmentStage.Report, "image/png", new MemoryStream(Png), world.Operator, ct)).Value!;

        var opened = await attachments.OpenAsync(added.Id, world.Operator, ct);
        using var content = new MemoryStream();
        await opened.Value.Content.CopyToAsync(content, ct);
        await opened.Value.Content.DisposeAsync();
        var listed = await attachments.ListAsync(inStreetB.Id, world.Operator, ct);
        var openedOutside = await attachments.OpenAsync(added.Id, world.StreetAOperator, ct);
        var listedOutside = await attachments.ListAsync(inStreetB.Id, world.StreetAOperator, ct);
        var addedOutside = await attachments.AddAsync(inStreetB.Id, AttachmentStage.Report, "image/png", new MemoryStream(Png),
            world.StreetAOperator, ct);

        Assert.Equal(Png, content.ToArray());
        Assert.Equal([added.Id], listed.Value!.Select(a => a.Id));
        Assert.Equal("attachment.not_found", openedOutside.Error?.Code);
        Assert.Equal("case.not_found", listedOutside.Error?.Code);
        Assert.Equal("case.not_found", addedOutside.Error?.Code);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Missing_file_is_not_found(StoreKind kind)
    {
        await using var world = await CaseWorld.CreateAsync(kind);
        var @case = await world.ReportAsync();
        var ct = TestContext.Current.CancellationToken;
        await using var db = world.NewContext();
        var attachments = world.Attachments(db);
        var added = (await attachments.AddAsync(@case.Id, AttachmentStage.Report, "image/png", new MemoryStream(Png), world.Operator, ct)).Value!;
        File.Delete(Path.Combine(world.Store.Options.AttachmentDirectory, "2026", "03", added.Id + ".png"));

        var opened = await attachments.OpenAsync(added.Id, world.Operator, ct);

        Assert.Equal("attachment.not_found", opened.Error?.Code);
    }

    [Theory]
    [MemberData(nameof(TestStore.Kinds), MemberType = typeof(TestStore))]
    public async Task Read_only_user_cannot_attach(StoreKind kind)
    {
        await using var world = await CaseWorld.CreateAsync(kind);
        var @case = await world.ReportAsync();
        await using var db = world.NewContext();

        var result = await world.Attachments(db).AddAsync(@case.Id, AttachmentStage.Report, "image/png", new MemoryStream(Png), world.Leader,
            TestContext.Current.CancellationToken);

        Assert.Equal("attachment.forbidden", result.Error?.Code);
    }

    [Fact]
    public void Declared_type_parameters_are_ignored()
    {
        var format = ImageFormat.Detect(Jpeg);

        Assert.True(format?.Matches("image/jpeg; charset=binary"));
        Assert.False(format?.Matches("image/png"));
        Assert.False(format?.Matches(null));
    }
}
