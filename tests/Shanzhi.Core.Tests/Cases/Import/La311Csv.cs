using System.Text;

namespace Shanzhi.Tests.Cases.Import;

/// <summary>Writes small MyLA311 files with the real 33-column header for importer tests.</summary>
internal sealed class La311Csv
{
    public const string FixturePath = "Fixtures/la311-2017-subset.csv";

    private static readonly string[] Columns =
    [
        "SRNumber", "CreatedDate", "UpdatedDate", "ActionTaken", "Owner", "RequestType", "Status", "RequestSource",
        "MobileOS", "Anonymous", "AssignTo", "ServiceDate", "ClosedDate", "AddressVerified", "ApproximateAddress",
        "Address", "HouseNumber", "Direction", "StreetName", "Suffix", "ZipCode", "Latitude", "Longitude", "Location",
        "TBMPage", "TBMColumn", "TBMRow", "APC", "CD", "CDMember", "NC", "NCName", "PolicePrecinct",
    ];

    private readonly StringBuilder _text = new StringBuilder().AppendLine(string.Join(',', Columns));

    /// <summary>Appends a closed bulky-item request; <paramref name="changes"/> replace or blank single fields.</summary>
    public La311Csv Row(string srNumber, params (string Column, string Value)[] changes)
    {
        var values = new Dictionary<string, string>
        {
            ["SRNumber"] = srNumber,
            ["CreatedDate"] = "12/28/2017 09:15:00 AM",
            ["ActionTaken"] = "SR Created",
            ["Owner"] = "BOS",
            ["RequestType"] = "Bulky Items",
            ["Status"] = "Closed",
            ["RequestSource"] = "Call",
            ["ClosedDate"] = "12/29/2017 02:30:00 PM",
            ["Address"] = "\"6122 E MESA AVE, 90042\"",
            ["Latitude"] = "34.1159756752",
            ["Longitude"] = "-118.190273984",
        };
        foreach (var (column, value) in changes)
        {
            values[column] = value;
        }

        _text.AppendLine(string.Join(',', Columns.Select(c => values.GetValueOrDefault(c, ""))));
        return this;
    }

    /// <summary>Appends <paramref name="text"/> to the last row, such as <c>,EXTRA</c> for a field past the header.</summary>
    public La311Csv AppendToLastRow(string text)
    {
        _text.Length -= Environment.NewLine.Length;
        _text.AppendLine(text);
        return this;
    }

    public MemoryStream ToStream() => new(Encoding.UTF8.GetBytes(_text.ToString()));

    /// <summary>The file in UTF-8 except its last row, which is in <paramref name="lastRowEncoding"/>.</summary>
    public MemoryStream ToStream(Encoding lastRowEncoding)
    {
        var text = _text.ToString();
        var lastRow = text.LastIndexOf('\n', text.Length - 2) + 1;
        return new([.. Encoding.UTF8.GetBytes(text[..lastRow]), .. lastRowEncoding.GetBytes(text[lastRow..])]);
    }
}
