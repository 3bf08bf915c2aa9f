namespace Shanzhi;

/// <summary>Rules for free text accepted from users and devices.</summary>
public static class TextRules
{
    /// <summary>
    /// Whether the text contains a control character other than tab, line feed and carriage return.
    /// PostgreSQL rejects NUL in text, and the other C0/C1 controls only hide content from reviewers.
    /// </summary>
    public static bool HasControlCharacters(string? text)
    {
        if (text is null)
        {
            return false;
        }

        foreach (var c in text)
        {
            if (char.IsControl(c) && c is not ('\t' or '\n' or '\r'))
            {
                return true;
            }
        }

        return false;
    }
}
