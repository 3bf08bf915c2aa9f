using System.Text.Json;
using Shanzhi.Epidemic;
using Shanzhi.Epidemic.Passages;
using Shanzhi.Privacy;
using static Shanzhi.Tests.Epidemic.Passages.PassageWorld;

namespace Shanzhi.Tests.Epidemic.Passages;

public sealed class PassageBatchTests
{
    private static readonly DeviceContext Device = new(7, 70, 700, PlaceKind.Mall, "330203001001001", "/330200/330203/");

    private static readonly PassageTimeWindow Window = new(Now, RetentionOptions.MovementDays);

    private static PassageInput Valid(long sequence) => new(sequence, Now.AddMinutes(-1), "In", 42, "Pass");

    [Fact]
    public void Batch_takes_entrance_and_place_from_device()
    {
        var (records, _, _) = PassageBatch.Validate(Device, [Valid(1) with { Channel = "visitorArrival", Status = "yellow" }], Window);

        Assert.Equal(new PassageRecord(7, 1, 70, 700, 42, Now.AddMinutes(-1), PassageDirection.In, GateDecision.Pass,
            HubChannel.VisitorArrival, HealthStatus.Yellow), records.Single());
    }

    [Fact]
    public void Unknown_person_hint_fits_each_format()
    {
        Assert.EndsWith("未识别人员请省略 personKey 字段。", PassageBatch.UnknownPerson(0, 5).Message);
        Assert.EndsWith("未识别人员请将 person_key 列留空。", PassageBatch.UnknownPerson(0, 5, PassageFormat.Csv).Message);
    }

    [Fact]
    public void Invalid_person_key_hint_fits_each_format()
    {
        PassageInput item = Valid(1) with { PersonKey = 0 };

        var (_, _, jsonErrors) = PassageBatch.Validate(Device, [item], Window);
        var (_, _, csvErrors) = PassageBatch.Validate(Device, [item], Window, format: PassageFormat.Csv);

        Assert.Equal("人员标识必须为正整数；未识别人员请省略 personKey 字段。", Assert.Single(jsonErrors).Message);
        Assert.Equal("人员标识必须为正整数；未识别人员请将 person_key 列留空。", Assert.Single(csvErrors).Message);
    }

    [Fact]
    public void Bad_item_is_rejected_alone()
    {
        var (records, indexes, errors) = PassageBatch.Validate(Device, [Valid(1), Valid(2) with { Direction = "sideways" }, Valid(3)], Window);

        Assert.Equal([1L, 3L], records.Select(r => r.DeviceSequence));
        Assert.Equal([0, 2], indexes);
        Assert.Equal((1, "direction", PassageBatch.InvalidFieldCode), (errors.Single().Index, errors.Single().Field, errors.Single().Code));
    }

    [Fact]
    public void Enum_list_or_number_is_rejected()
    {
        var (records, indexes, errors) = PassageBatch.Validate(Device,
        [
            Valid(1) with { Decision = "Pass,ManualCheck" }, Valid(2) with { Status = "Green,Yellow" }, Valid(3) with { Direction = "0" },
            Valid(4) with { Direction = "990101199001011003" }, Valid(5) with { Decision = " deny " },
        ], Window);

        Assert.Equal([4], indexes);
        Assert.Equal(GateDecision.Deny, records.Single().Decision);
        Assert.Equal(["0:decision", "1:status", "2:direction", "3:direction"], errors.Select(e => $"{e.Index}:{e.Field}"));
        Assert.All(errors, e => Assert.DoesNotContain("990101199001011003", e.Message, StringComparison.Ordinal));
    }

    [Fact]
    public void Every_item_error_is_listed()
    {
        var (records, _, errors) = PassageBatch.Validate(Device,
            [new PassageInput(null, null, null, 0, "2"), null, Valid(3) with { OccurredAt = Now.AddMinutes(6) }, Valid(4) with { Sequence = -1 }], Window);

        Assert.Empty(records);
        Assert.Equal(
            [
                (0, "sequence", PassageBatch.MissingFieldCode), (0, "occurredAt", PassageBatch.MissingFieldCode), (0, "personKey", PassageBatch.InvalidFieldCode),
                (0, "direction", PassageBatch.MissingFieldCode), (0, "decision", PassageBatch.InvalidFieldCode), (1, "item", PassageBatch.InvalidItemCode),
                (2, "occurredAt", PassageBatch.InvalidFieldCode), (3, "sequence", PassageBatch.InvalidFieldCode),
            ],
            errors.Select(e => (e.Index, e.Field, e.Code)));
    }

    [Fact]
    public void Repeated_sequence_is_not_an_error()
    {
        var (records, _, errors) = PassageBatch.Validate(Device, [Valid(1), Valid(1)], Window);

        Assert.Equal((2, 0), (records.Count, errors.Count));
    }

    [Fact]
    public void Clock_tolerance_edge_is_accepted()
    {
        var (_, _, errors) = PassageBatch.Validate(Device, [Valid(1) with { OccurredAt = Now + PassageTimeWindow.ClockTolerance }], Window);

        Assert.Empty(errors);
    }

    [Fact]
    public void Item_past_retention_is_rejected_alone()
    {
        var cutoff = Now - TimeSpan.FromDays(RetentionOptions.MovementDays);

        var (records, indexes, errors) = PassageBatch.Validate(Device,
            [Valid(1) with { OccurredAt = cutoff }, Valid(2) with { OccurredAt = cutoff.AddTicks(-1) }, Valid(3)], Window);

        Assert.Equal([0, 2], indexes);
        Assert.Equal([1L, 3L], records.Select(r => r.DeviceSequence));
        var error = Assert.Single(errors);
        Assert.Equal((1, "occurredAt", PassageBatch.OccurredAtTooOldCode), (error.Index, error.Field, error.Code));
        Assert.Contains("28 天", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_movement_policy_old_items_are_kept()
    {
        var retention = new RetentionOptions();
        retention.Policies.Remove(RetentionClasses.Movement);

        var (records, _, errors) = PassageBatch.Validate(Device, [Valid(1) with { OccurredAt = Now.AddYears(-1) }], PassageTimeWindow.At(Now, retention));

        Assert.Single(records);
        Assert.Empty(errors);
    }

    [Fact]
    public void Movement_window_follows_the_retention_policy()
    {
        var retention = new RetentionOptions();
        retention.Policies[RetentionClasses.Movement] = 14;

        var window = PassageTimeWindow.At(Now, retention);

        Assert.Equal(14, window.RetentionDays);
        Assert.True(window.IsTooOld(Now.AddDays(-15)));
        Assert.False(window.IsTooOld(Now.AddDays(-13)));
    }

    [Fact]
    public void Far_past_and_future_items_get_window_errors()
    {
        using var body = JsonDocument.Parse(
            """[{"sequence":1,"occurredAt":"0001-01-01T00:00:00+08:00"}, {"sequence":2,"occurredAt":"9999-12-31T23:59:59+08:00"}]""");
        var items = PassageBatch.Read(body.RootElement, new JsonSerializerOptions(JsonSerializerDefaults.Web)).Value.Items
            .Select(item => item! with { Direction = "In", Decision = "Pass" })
            .ToList();

        var (_, _, errors) = PassageBatch.Validate(Device, items, Window);

        Assert.Equal([(0, "occurredAt", PassageBatch.OccurredAtTooOldCode), (1, "occurredAt", PassageBatch.InvalidFieldCode)],
            errors.Select(e => (e.Index, e.Field, e.Code)));
        Assert.Contains("晚于服务器当前时间", errors[1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Item_before_2000_is_too_old_without_movement_policy()
    {
        var retention = new RetentionOptions();
        retention.Policies.Remove(RetentionClasses.Movement);
        var before2000 = new DateTimeOffset(1999, 12, 31, 23, 59, 59, TimeSpan.FromHours(8));

        var (_, _, errors) = PassageBatch.Validate(Device, [Valid(1) with { OccurredAt = before2000 }], PassageTimeWindow.At(Now, retention));

        var error = Assert.Single(errors);
        Assert.Equal(PassageBatch.OccurredAtTooOldCode, error.Code);
        Assert.Contains("2000-01-01", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_rejects_malformed_items_alone()
    {
        using var body = JsonDocument.Parse(
            "[{\"sequence\":\"abc\",\"direction\":\"In\",\"decision\":\"Pass\"}, 5, {\"occurredAt\":\"yesterday\"}, {\"sequence\":1}]");

        var read = PassageBatch.Read(body.RootElement, new JsonSerializerOptions(JsonSerializerDefaults.Web));

        var (items, unknownFields, unreadable) = read.Value;
        Assert.Empty(unknownFields);
        Assert.Equal(
            [(0, "sequence", PassageBatch.InvalidFieldCode), (1, "item", PassageBatch.InvalidItemCode), (2, "occurredAt", PassageBatch.InvalidFieldCode)],
            unreadable.Select(e => (e.Index, e.Field, e.Code)));
        Assert.Equal([false, false, false, true], items.Select(i => i is not null));
    }

    [Fact]
    public void Read_lists_unknown_fields_apart()
    {
        using var body = JsonDocument.Parse("[{\"sequence\":1,\"temperature\":36.5}]");

        var read = PassageBatch.Read(body.RootElement, new JsonSerializerOptions(JsonSerializerDefaults.Web));

        var error = Assert.Single(read.Value.UnknownFields);
        Assert.Equal((0, "temperature", PassageBatch.UnknownFieldCode), (error.Index, error.Field, error.Code));
        Assert.Empty(read.Value.Unreadable);
    }
}
