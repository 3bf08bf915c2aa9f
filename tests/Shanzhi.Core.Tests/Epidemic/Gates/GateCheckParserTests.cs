using System.Globalization;
using System.Text;
using Shanzhi.Epidemic;
using Shanzhi.Epidemic.Gates;
using Shanzhi.Epidemic.Passages;

namespace Shanzhi.Tests.Epidemic.Gates;

public sealed class GateCheckParserTests
{
    [Fact]
    public void Id_number_check_is_read()
    {
        var input = Parse($$$"""{"sequence":7,"occurredAt":"2026-03-02T09:00:00+08:00","direction":"In","identity":{"kind":"idNumber","idNumber":"{{{Id()}}}"}}""").Value!;

        Assert.Equal(new GateCheckInput(7, new DateTimeOffset(2026, 3, 2, 1, 0, 0, TimeSpan.Zero), PassageDirection.In, IdentityKind.IdNumber, Id()), input);
    }

    [Fact]
    public void Person_key_and_no_match_are_read()
    {
        var byKey = Parse("""{"sequence":1,"occurredAt":"2026-03-02T01:00:00Z","direction":"out","identity":{"kind":"personKey","personKey":12}}""").Value!;
        var none = Parse("""{"sequence":2,"occurredAt":"2026-03-02T01:00:00Z","direction":"In","identity":{"kind":"noMatch"}}""").Value!;

        Assert.Equal((IdentityKind.PersonKey, 12L, PassageDirection.Out), (byKey.Kind, byKey.PersonKey!.Value, byKey.Direction));
        Assert.Equal(IdentityKind.NoMatch, none.Kind);
    }

    [Theory]
    [InlineData("\"face\":\"x\"")]
    [InlineData("\"facePhoto\":null")]
    [InlineData("\"IMAGE\":1")]
    [InlineData("\"snapshotUrl\":\"a\"")]
    [InlineData("\"extra\":{\"portrait\":true}")]
    [InlineData("\"note\":\"data:image/png;base64,AAAA\"")]
    [InlineData("\"note\":\"/9j/4AAQSkZJRg\"")]
    [InlineData("\"note\":\"iVBORw0KGgoAAAANSUhEUg\"")]
    public void Image_fields_and_image_content_are_rejected(string member)
    {
        var result = Parse($$"""{"sequence":1,"occurredAt":"2026-03-02T01:00:00Z","direction":"In","identity":{"kind":"noMatch"},{{member}}}""");

        Assert.Equal("gate.image_rejected", result.Error?.Code);
    }

    [Fact]
    public void Long_string_inside_identity_is_rejected_as_an_image()
    {
        var result = Parse($$$"""{"sequence":1,"occurredAt":"2026-03-02T01:00:00Z","direction":"In","identity":{"kind":"idNumber","idNumber":"{{{new string('A', 65)}}}"}}""");

        Assert.Equal("gate.image_rejected", result.Error?.Code);
    }

    [Theory]
    [InlineData("""{"sequence":1,"occurredAt":"2026-03-02T01:00:00Z","direction":"In","identity":{"kind":"noMatch"},"temperature":36.5}""", "gate.unknown_field", "temperature")]
    [InlineData("""{"sequence":1,"occurredAt":"2026-03-02T01:00:00Z","direction":"In","identity":{"kind":"noMatch","name":"x"}}""", "gate.unknown_field", "identity.name")]
    [InlineData("""{"occurredAt":"2026-03-02T01:00:00Z","direction":"In","identity":{"kind":"noMatch"}}""", "gate.sequence_required", "sequence")]
    [InlineData("""{"sequence":-1,"occurredAt":"2026-03-02T01:00:00Z","direction":"In","identity":{"kind":"noMatch"}}""", "gate.sequence_invalid", "sequence")]
    [InlineData("""{"sequence":1,"occurredAt":"yesterday","direction":"In","identity":{"kind":"noMatch"}}""", "gate.occurred_at_invalid", "occurredAt")]
    [InlineData("""{"sequence":1,"occurredAt":"2026-03-02T01:00:00Z","direction":"1","identity":{"kind":"noMatch"}}""", "gate.direction_invalid", "direction")]
    [InlineData("""{"sequence":1,"occurredAt":"2026-03-02T01:00:00Z","direction":"In","identity":{"kind":"iris"}}""", "gate.identity_kind_invalid", "identity.kind")]
    [InlineData("""{"sequence":1,"occurredAt":"2026-03-02T01:00:00Z","direction":"In","identity":{"kind":"fingerprint"}}""", "gate.identity_kind_invalid", "identity.kind")]
    [InlineData("""{"sequence":1,"occurredAt":"2026-03-02T01:00:00Z","direction":"In","identity":{"kind":3}}""", "gate.identity_kind_invalid", "identity.kind")]
    [InlineData("""{"sequence":1,"occurredAt":"2026-03-02T01:00:00Z","direction":"In","identity":{"kind":""}}""", "gate.identity_required", "identity")]
    [InlineData("""{"sequence":1,"occurredAt":"2026-03-02T01:00:00Z","direction":"In","identity":{}}""", "gate.identity_required", "identity")]
    [InlineData("""{"sequence":1,"occurredAt":"2026-03-02T01:00:00Z","direction":"In","identity":{"kind":"idNumber","idNumber":"330203199001011235"}}""", "gate.invalid_id_number", "identity.idNumber")]
    [InlineData("""{"sequence":1,"occurredAt":"2026-03-02T01:00:00Z","direction":"In","identity":{"kind":"personKey"}}""", "gate.person_key_required", "identity.personKey")]
    [InlineData("""{"sequence":1,"occurredAt":"2026-03-02T01:00:00Z","direction":"In,Out","identity":{"kind":"noMatch"}}""", "gate.direction_invalid", "direction")]
    [InlineData("""{"sequence":1014,"occurredAt":"2026-03-02T01:00:00Z","direction":"In","identity":{"kind":"noMatch"},"sequence":1015}""", "gate.duplicate_field", "sequence")]
    [InlineData("""{"sequence":1,"occurredAt":"2026-03-02T01:00:00Z","direction":"In","Direction":"Out","identity":{"kind":"noMatch"}}""", "gate.duplicate_field", "direction")]
    [InlineData("""{"sequence":1,"occurredAt":"2026-03-02T01:00:00Z","direction":"In","identity":{"kind":"personKey","personKey":1,"PersonKey":2}}""", "gate.duplicate_field", "identity.personKey")]
    [InlineData("""[1,2]""", "gate.malformed_body", "body")]
    [InlineData("""{"sequence":1,""", "gate.malformed_body", "body")]
    public void Bad_input_names_the_field(string json, string code, string field)
    {
        var error = Parse(json).Error;

        Assert.Equal((code, field), (error?.Code, error?.Field));
    }

    [Fact]
    public void Sequence_zero_is_read()
    {
        var input = Parse("""{"sequence":0,"occurredAt":"2026-03-02T01:00:00Z","direction":"In","identity":{"kind":"noMatch"}}""").Value!;

        Assert.Equal(0, input.Sequence);
    }

    [Fact]
    public void Unknown_identity_kind_lists_the_accepted_kinds()
    {
        var error = Parse("""{"sequence":1,"occurredAt":"2026-03-02T01:00:00Z","direction":"In","identity":{"kind":"fingerprint"}}""").Error!;

        Assert.Contains("idNumber", error.Detail, StringComparison.Ordinal);
        Assert.Contains("personKey", error.Detail, StringComparison.Ordinal);
        Assert.Contains("noMatch", error.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain("fingerprint", error.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"sequence\":\"301\"", "gate.sequence_invalid", "sequence")]
    [InlineData("\"sequence\":-5", "gate.sequence_invalid", "sequence")]
    [InlineData("\"sequence\":1e3", "gate.sequence_invalid", "sequence")]
    [InlineData("\"sequence\":1.5", "gate.sequence_invalid", "sequence")]
    [InlineData("\"sequence\":null", "gate.sequence_required", "sequence")]
    [InlineData("\"occurredAt\":\"2026-02-29T09:00:00+08:00\"", "gate.occurred_at_invalid", "occurredAt")]
    [InlineData("\"occurredAt\":\"2026-03-02T09:00:00\"", "gate.occurred_at_invalid", "occurredAt")]
    [InlineData("\"occurredAt\":20260302", "gate.occurred_at_invalid", "occurredAt")]
    [InlineData("\"occurredAt\":\"2026-03-02T09:00:00+15:00\"", "gate.occurred_at_invalid", "occurredAt")]
    [InlineData("\"occurredAt\":\"0000-12-31T23:59:59Z\"", "gate.occurred_at_invalid", "occurredAt")]
    [InlineData("\"occurredAt\":\"\"", "gate.occurred_at_required", "occurredAt")]
    [InlineData("\"direction\":\"In\\u0000\"", "gate.direction_invalid", "direction")]
    [InlineData("\"direction\":null", "gate.direction_required", "direction")]
    public void Present_but_invalid_value_gets_invalid_code(string member, string code, string field)
    {
        var fields = new Dictionary<string, string>
        {
            ["sequence"] = "\"sequence\":1",
            ["occurredAt"] = "\"occurredAt\":\"2026-03-02T01:00:00Z\"",
            ["direction"] = "\"direction\":\"In\"",
        };
        fields[field] = member;

        var error = Parse($$$"""{{{{string.Join(',', fields.Values)}}},"identity":{"kind":"noMatch"}}""").Error;

        Assert.Equal((code, field), (error?.Code, error?.Field));
        if (code.EndsWith("_invalid", StringComparison.Ordinal))
        {
            Assert.Contains("无效", error!.Detail, StringComparison.Ordinal);
        }
    }

    /// <summary>Year 1 east of UTC and year 9999 west of it are before and after DateTimeOffset's range in UTC, so they read as its ends.</summary>
    [Theory]
    [InlineData("0001-01-01T00:00:00+08:00", "0001-01-01T00:00:00+00:00")]
    [InlineData("0001-01-01T10:00:00+08:00", "0001-01-01T02:00:00+00:00")]
    [InlineData("1999-12-31T23:59:59+08:00", "1999-12-31T15:59:59+00:00")]
    [InlineData("9999-12-31T23:59:59+08:00", "9999-12-31T15:59:59+00:00")]
    [InlineData("9999-12-31T23:59:59-08:00", "9999-12-31T23:59:59.9999999+00:00")]
    public void Well_formed_time_of_any_year_is_read(string occurredAt, string expectedUtc)
    {
        var input = Parse($$$"""{"sequence":1,"occurredAt":"{{{occurredAt}}}","direction":"In","identity":{"kind":"noMatch"}}""").Value;

        Assert.Equal(DateTimeOffset.Parse(expectedUtc, CultureInfo.InvariantCulture), input?.OccurredAt);
    }

    [Theory]
    [InlineData("0001-01-01T00:00:00+08:00", 28, "gate.occurred_at_too_old")]
    [InlineData("0001-01-01T00:00:00+08:00", null, "gate.occurred_at_too_old")]
    [InlineData("1999-12-31T23:59:59+08:00", null, "gate.occurred_at_too_old")]
    [InlineData("9999-12-31T23:59:59+08:00", 28, "gate.occurred_at_in_future")]
    [InlineData("9999-12-31T23:59:59-08:00", null, "gate.occurred_at_in_future")]
    public void Time_outside_the_window_gets_the_window_code(string occurredAt, int? retentionDays, string code)
    {
        var input = Parse($$$"""{"sequence":1,"occurredAt":"{{{occurredAt}}}","direction":"In","identity":{"kind":"noMatch"}}""").Value!;

        var error = CheckGate.Validate(input, new PassageTimeWindow(new DateTimeOffset(2026, 6, 1, 8, 0, 0, TimeSpan.Zero), retentionDays));

        Assert.Equal((code, "occurredAt"), (error?.Code, error?.Field));
    }

    [Fact]
    public void Time_before_2000_without_retention_names_the_first_date()
    {
        var input = Parse("""{"sequence":1,"occurredAt":"1999-12-31T23:59:59+08:00","direction":"In","identity":{"kind":"noMatch"}}""").Value!;

        var error = CheckGate.Validate(input, new PassageTimeWindow(new DateTimeOffset(2026, 6, 1, 8, 0, 0, TimeSpan.Zero), null))!;

        Assert.Contains("2000-01-01", error.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"x\"")]
    [InlineData("12")]
    [InlineData("true")]
    [InlineData("[{\"kind\":\"noMatch\"}]")]
    public void Identity_that_is_not_an_object_is_invalid(string identity)
    {
        var error = Parse($$"""{"sequence":1,"occurredAt":"2026-03-02T01:00:00Z","direction":"In","identity":{{identity}}}""").Error;

        Assert.Equal(("gate.identity_invalid", "identity"), (error?.Code, error?.Field));
        Assert.Contains("JSON 对象", error!.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(",\"identity\":null")]
    [InlineData(",\"identity\":\"\"")]
    [InlineData("")]
    public void Absent_identity_is_required(string identity)
    {
        var error = Parse($$"""{"sequence":1,"occurredAt":"2026-03-02T01:00:00Z","direction":"In"{{identity}}}""").Error;

        Assert.Equal(("gate.identity_required", "identity"), (error?.Code, error?.Field));
    }

    [Theory]
    [InlineData("1.0", "gate.person_key_invalid")]
    [InlineData("\"12\"", "gate.person_key_invalid")]
    [InlineData("0", "gate.person_key_invalid")]
    [InlineData("null", "gate.person_key_required")]
    public void Person_key_of_wrong_form_is_invalid(string value, string code)
    {
        var error = Parse($$$"""{"sequence":1,"occurredAt":"2026-03-02T01:00:00Z","direction":"In","identity":{"kind":"personKey","personKey":{{{value}}}}}""").Error;

        Assert.Equal((code, "identity.personKey"), (error?.Code, error?.Field));
    }

    [Theory]
    [InlineData("""{"kind":"personKey","personKey":12,"idNumber":"330203199001011236"}""", "identity.idNumber")]
    [InlineData("""{"kind":"idNumber","idNumber":"330203199001011236","personKey":12}""", "identity.personKey")]
    [InlineData("""{"kind":"noMatch","personKey":12}""", "identity.personKey")]
    [InlineData("""{"kind":"noMatch","idNumber":null}""", "identity.idNumber")]
    public void Identity_field_of_another_kind_is_rejected(string identity, string field)
    {
        var error = Parse($$"""{"sequence":1,"occurredAt":"2026-03-02T01:00:00Z","direction":"In","identity":{{identity}}}""").Error;

        Assert.Equal(("gate.identity_field_unexpected", field), (error?.Code, error?.Field));
        Assert.Contains(field, error!.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain("330203199001011236", error.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(" trailing")]
    [InlineData("{}")]
    [InlineData(",")]
    [InlineData(" // comment")]
    public void Content_after_the_object_is_malformed(string trailing)
    {
        var error = Parse("""{"sequence":1,"occurredAt":"2026-03-02T01:00:00Z","direction":"In","identity":{"kind":"noMatch"}}""" + trailing).Error;

        Assert.Equal("gate.malformed_body", error?.Code);
    }

    /// <summary>"@" marks where the bytes 0xFF 0xFE go; they never occur in UTF-8, but a GBK or Latin-1 device could send them.</summary>
    [Theory]
    [InlineData("""{"sequence":1,"occurredAt":"2026-03-02T01:00:00Z","direction":"@","identity":{"kind":"noMatch"}}""")]
    [InlineData("""{"sequence":1,"occurredAt":"2026-03-02T01:00:00Z","direction":"In","identity":{"kind":"@"}}""")]
    [InlineData("""{"sequence":1,"occurredAt":"2026-03-02T01:00:00Z","direction":"In","@":1,"identity":{"kind":"noMatch"}}""")]
    public void Invalid_utf8_inside_a_string_is_malformed(string json)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        var at = Array.IndexOf(bytes, (byte)'@');
        byte[] body = [.. bytes[..at], 0xFF, 0xFE, .. bytes[(at + 1)..]];

        var error = GateCheckParser.Parse(body).Error;

        Assert.Equal("gate.malformed_body", error?.Code);
        Assert.Contains("UTF-8", error!.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void White_space_after_the_object_is_accepted()
    {
        var result = Parse("""{"sequence":1,"occurredAt":"2026-03-02T01:00:00Z","direction":"In","identity":{"kind":"noMatch"}}""" + " \r\n\t");

        Assert.Null(result.Error);
    }

    /// <summary>A valid ID number: the fixed first 17 digits with their computed check character.</summary>
    internal static string Id(string first17 = "33020319900101123") => first17 + Shanzhi.Privacy.ChineseIdNumber.CheckCharacter(first17);

    private static Result<GateCheckInput> Parse(string json) => GateCheckParser.Parse(Encoding.UTF8.GetBytes(json));
}
