using System.Globalization;

namespace Shanzhi.Cases.Import;

/// <summary>Status of a MyLA311 service request in the source system.</summary>
internal enum La311Status
{
    Open,
    Closed,
    Cancelled,
    ReferredOut,
}

/// <summary>One validated MyLA311 row: the fields the import replays, with times in UTC.</summary>
internal sealed record La311Request(
    int Row,
    string SrNumber,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ClosedAt,
    La311Status Status,
    string StatusText,
    string RequestType,
    string Owner,
    string? Source,
    string? Address,
    double? Latitude,
    double? Longitude,
    bool ClosedDateOnly)
{
    public const string SrNumberColumn = "SRNumber";
    public const string CreatedDateColumn = "CreatedDate";
    public const string ClosedDateColumn = "ClosedDate";
    public const string StatusColumn = "Status";
    public const string RequestTypeColumn = "RequestType";
    public const string OwnerColumn = "Owner";
    public const string RequestSourceColumn = "RequestSource";
    public const string AddressColumn = "Address";
    public const string LatitudeColumn = "Latitude";
    public const string LongitudeColumn = "Longitude";

    /// <summary>Source ids become case numbers "LA" + SRNumber, and case numbers hold 32 characters.</summary>
    public const int SrNumberMaxLength = 30;

    public static readonly string[] RequiredColumns =
    [
        SrNumberColumn, CreatedDateColumn, ClosedDateColumn, StatusColumn, RequestTypeColumn, OwnerColumn,
        RequestSourceColumn, AddressColumn, LatitudeColumn, LongitudeColumn,
    ];

    // MyLA311 exports write US 12-hour times without a zone; they are Los Angeles wall-clock times.
    private static readonly string[] DateFormats = ["MM/dd/yyyy hh:mm:ss tt", "M/d/yyyy h:mm:ss tt", "M/d/yyyy h:mm tt"];

    private static readonly TimeZoneInfo LosAngeles = TimeZoneInfo.FindSystemTimeZoneById("America/Los_Angeles");

    public bool NeedsAgency => Status != La311Status.Cancelled;

    /// <summary>Reads one row, given its field values by column name, or adds its errors and returns null.</summary>
    public static La311Request? Parse(Func<string, string> field, int row, List<ImportRowError> errors)
    {
        var errorCount = errors.Count;
        string? Required(string column)
        {
            var value = Text(field, column);
            if (value is null)
            {
                errors.Add(new ImportRowError(row, column, ImportMessages.MissingValue(column), ImportMessages.MissingValueCode));
            }

            return value;
        }

        var srNumber = Required(SrNumberColumn);
        if (srNumber is { Length: > SrNumberMaxLength })
        {
            errors.Add(new ImportRowError(row, SrNumberColumn, ImportMessages.SourceIdTooLong(srNumber, SrNumberMaxLength), ImportMessages.SourceIdTooLongCode));
        }

        var createdText = Required(CreatedDateColumn);
        var created = createdText is null ? null : ParseTime(createdText, row, CreatedDateColumn, errors);
        var statusText = Required(StatusColumn);
        var status = statusText is null ? null : ParseStatus(statusText, row, errors);
        var requestType = Required(RequestTypeColumn);
        var owner = Text(field, OwnerColumn);
        if (owner is null && status is not La311Status.Cancelled)
        {
            errors.Add(new ImportRowError(row, OwnerColumn, ImportMessages.MissingValue(OwnerColumn), ImportMessages.MissingValueCode));
        }

        var closedText = Text(field, ClosedDateColumn);
        DateTimeOffset? closed = null;
        if (closedText is not null)
        {
            closed = ParseTime(closedText, row, ClosedDateColumn, errors);
        }
        else if (status is La311Status.Closed or La311Status.Cancelled or La311Status.ReferredOut)
        {
            errors.Add(new ImportRowError(row, ClosedDateColumn, ImportMessages.MissingValue(ClosedDateColumn), ImportMessages.MissingValueCode));
        }

        var (latitude, longitude) = ParseLocation(field, row, errors);

        // Some rows carry only the closing date (midnight) of a request created later that day: read
        // them as closed at creation. A close time earlier than that is a data error.
        var closedDateOnly = false;
        if (created is { } c && closed is { } d && d < c)
        {
            if (TimeZoneInfo.ConvertTime(d, LosAngeles).TimeOfDay == TimeSpan.Zero && c - d < TimeSpan.FromDays(1))
            {
                closed = c;
                closedDateOnly = true;
            }
            else
            {
                errors.Add(new ImportRowError(row, ClosedDateColumn, ImportMessages.ClosedBeforeCreated(closedText!, createdText!), ImportMessages.ClosedBeforeCreatedCode));
            }
        }

        if (errors.Count > errorCount)
        {
            return null;
        }

        return new La311Request(row, srNumber!, created!.Value, closed, status!.Value, statusText!, requestType!, owner ?? "",
            Text(field, RequestSourceColumn), Text(field, AddressColumn), latitude, longitude, closedDateOnly);
    }

    private static string? Text(Func<string, string> field, string column)
    {
        var value = field(column).Trim();
        return string.IsNullOrEmpty(value) ? null : value;
    }

    private static DateTimeOffset? ParseTime(string text, int row, string column, List<ImportRowError> errors)
    {
        if (!DateTime.TryParseExact(text, DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces, out var local))
        {
            errors.Add(new ImportRowError(row, column, ImportMessages.InvalidDate(text), ImportMessages.InvalidDateCode));
            return null;
        }

        return FromLosAngeles(local);
    }

    /// <summary>
    /// Converts Los Angeles wall-clock time to UTC. A time in the hour skipped when daylight saving
    /// starts is read as standard time. A time in the repeated autumn hour is read as its first,
    /// daylight-saving pass.
    /// </summary>
    internal static DateTimeOffset FromLosAngeles(DateTime local)
    {
        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        var offset = LosAngeles.IsInvalidTime(local) ? LosAngeles.BaseUtcOffset
            : LosAngeles.IsAmbiguousTime(local) ? LosAngeles.GetAmbiguousTimeOffsets(local).Max()
            : LosAngeles.GetUtcOffset(local);
        return new DateTimeOffset(local, offset).ToUniversalTime();
    }

    private static La311Status? ParseStatus(string text, int row, List<ImportRowError> errors)
    {
        La311Status? status = text.ToUpperInvariant() switch
        {
            "OPEN" => La311Status.Open,
            "CLOSED" => La311Status.Closed,
            "CANCELLED" => La311Status.Cancelled,
            "REFERRED OUT" => La311Status.ReferredOut,
            _ => null,
        };
        if (status is null)
        {
            errors.Add(new ImportRowError(row, StatusColumn, ImportMessages.UnknownStatus(text), ImportMessages.UnknownStatusCode));
        }

        return status;
    }

    private static (double? Latitude, double? Longitude) ParseLocation(Func<string, string> field, int row, List<ImportRowError> errors)
    {
        var latitudeText = Text(field, LatitudeColumn);
        var longitudeText = Text(field, LongitudeColumn);
        if (latitudeText is null && longitudeText is null)
        {
            return (null, null);
        }

        if (latitudeText is null || longitudeText is null)
        {
            errors.Add(new ImportRowError(row, latitudeText is null ? LatitudeColumn : LongitudeColumn, ImportMessages.CoordinatePairIncomplete, ImportMessages.CoordinatePairIncompleteCode));
            return (null, null);
        }

        return (ParseDegrees(latitudeText, 90, row, LatitudeColumn, errors), ParseDegrees(longitudeText, 180, row, LongitudeColumn, errors));
    }

    private static double? ParseDegrees(string text, int limit, int row, string column, List<ImportRowError> errors)
    {
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && Math.Abs(value) <= limit)
        {
            return value;
        }

        errors.Add(new ImportRowError(row, column, ImportMessages.InvalidCoordinate(text, limit), ImportMessages.InvalidCoordinateCode));
        return null;
    }
}
