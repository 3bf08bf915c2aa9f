using System.CommandLine;

namespace Shanzhi.Cli.Commands;

internal static class KpiCommand
{
    // TODO: placeholder until the command is written.
    public static Command Create() => new("kpi", "Kpi");
}
