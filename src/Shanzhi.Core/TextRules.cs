namespace Shanzhi;

/// <summary>Rules for free text accepted from users and devices.</summary>
public static class TextRules
{
    /// <summary>
    /// Whether the text contains a control character other than tab, line feed and carriage return,
    /// or an explicit bidirectional formatting character (U+202A–U+202E, U+2066–U+2069). PostgreSQL
    /// rejects NUL in text, the other C0/C1 controls only hide content from reviewers, and the
    /// bidirectional ones make a list or an audit entry show characters in another order than stored.
    /// </summary>
    public static bool HasControlCharacters(string? text)
    {
        if (text is null)
        {
            return false;
        }

        foreach (var c in text)
        {
            if ((char.IsControl(c) && c is not ('\t' or '\n' or '\r')) || c is >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069')
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The length of a UTF-8 byte order mark at the start of <paramref name="utf8"/>: 3, or 0 when
    /// there is none. JSON senders must not write one but parsers may ignore it (RFC 8259, section
    /// 8.1), and a StreamWriter over <see cref="System.Text.Encoding.UTF8"/> writes one. The
    /// framework's JSON body binding skips it, so the endpoints that parse raw bytes skip it too.
    /// </summary>
    public static int ByteOrderMarkLength(ReadOnlySpan<byte> utf8) =>
        utf8.StartsWith(System.Text.Encoding.UTF8.Preamble) ? System.Text.Encoding.UTF8.Preamble.Length : 0;

    /// <summary>
    /// Whether the text has nothing a reader can see: null, empty, or only white space and invisible
    /// format characters such as the zero-width space (Unicode category Cf).
    /// </summary>
    public static bool IsBlank(string? text) =>
        text is null || text.All(c => char.IsWhiteSpace(c) || char.GetUnicodeCategory(c) == System.Globalization.UnicodeCategory.Format);
}
