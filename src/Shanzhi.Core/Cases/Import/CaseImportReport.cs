namespace Shanzhi.Cases.Import;

/// <summary>A row the import could not load, with the reason in Chinese.</summary>
/// <param name="Row">
/// Row number in the file as a spreadsheet shows it: the header is row 1. For <c>import.not_utf8</c>
/// and <c>import.unclosed_quote</c>, the line of the file where reading stopped.
/// </param>
/// <param name="Column">Column at fault, or null when the row or the file as a whole failed.</param>
/// <param name="Code">Stable error code: <c>case_import.*</c> for a row, <c>import.*</c> for the file (<c>import.not_utf8</c>, <c>import.missing_column</c> …).</param>
public sealed record ImportRowError(int Row, string? Column, string Message, string Code);

/// <summary>Outcome of a case import.</summary>
/// <param name="Rows">Data rows read, header excluded.</param>
/// <param name="Imported">Cases written, with their replayed events.</param>
/// <param name="Skipped">Rows whose source id was already imported, earlier or higher up in the same file.</param>
/// <param name="UnmappedRequestTypes">Request types missing from the mapping, imported under its fallback category, with row counts.</param>
/// <param name="DateOnlyClosings">Rows whose close time was a bare date before the creation time, read as closed at creation.</param>
/// <param name="RolledBack">True when an atomic import found errors and wrote nothing.</param>
public sealed record CaseImportReport(
    int Rows,
    int Imported,
    int Skipped,
    IReadOnlyList<ImportRowError> Errors,
    IReadOnlyDictionary<string, int> UnmappedRequestTypes,
    int DateOnlyClosings,
    bool RolledBack)
{
    public bool HasErrors => Errors.Count > 0;
}

/// <summary>Settings of one LA 311 import.</summary>
/// <param name="Atomic">Load every row or, when any row fails, nothing.</param>
/// <param name="Mapping">Request type and agency mapping; the embedded default when null.</param>
public sealed record La311ImportOptions(bool Atomic = false, La311Mapping? Mapping = null);
