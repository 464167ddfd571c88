import ArgumentParser
import Mirrorwatch
import MirrorwatchReport

struct ScanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scan",
        abstract: "Scan logs, snapshots and tickets for mirroring changes and risky live mirroring.",
        discussion: "Exit status: 0 when it ran and no finding is at or above --fail-on, 1 when some is, "
            + "2 for usage errors, an invalid policy, or when no record of any input could be read. Problems with individual "
            + "records are reported on stderr with file and position; the rest is still read.")

    @OptionGroup var inputs: InputOptions

    @Option(name: .long, help: "Output format: table, jsonl, ocsf, cef (ArcSight CEF, one event per line), html (one self-contained page).")
    var format: String = "table"

    @Option(name: .long, help: "Write findings to this file instead of standard output.")
    var out: String?

    @Option(name: .customLong("fail-on"), help: "Exit 1 when a finding has at least this severity (info, low, medium, high, critical).")
    var failOn: String?

    @Option(name: .long, help: "Lowest severity to output (default: info, everything).")
    var minSeverity: String = "info"

    @Option(name: .long, help: "Table width in columns.")
    var width: Int = 100

    @Option(name: .long, help: "change: one finding per change, with every rule that fired on it in its why and context.rules (default); rule: one finding per rule.")
    var group: String = "change"

    func validate() throws {
        try inputs.validateInputs()
        if FindingFormat(rawValue: format) == nil && format != "html" { throw ValidationError("--format must be one of: table, jsonl, ocsf, cef, html") }
        if let failOn, Severity(name: failOn) == nil { throw ValidationError("--fail-on must be one of: info, low, medium, high, critical") }
        if Severity(name: minSeverity) == nil { throw ValidationError("--min-severity must be one of: info, low, medium, high, critical") }
        if !["change", "rule"].contains(group) { throw ValidationError("--group must be change or rule") }
    }

    func run() async throws {
        let policy = try inputs.loadPolicy()
        let result = try await inputs.runScan(policy: policy)
        let floor = Severity(name: minSeverity) ?? .info
        let findings = group == "change" ? result.correlatedFindings : result.findings
        let shown = findings.filter { $0.severity >= floor }
        let text = FindingFormat(rawValue: format).map { $0.render(shown, width: width) } ?? FindingsHTML.render(shown)
        try FileHandleOutput.write(text, to: out)
        try InputOptions.failOnUnreadablePaths(result)
        if let failOn, let threshold = Severity(name: failOn), result.findings.contains(where: { $0.severity >= threshold }) {
            throw ExitCode(1)
        }
    }
}
