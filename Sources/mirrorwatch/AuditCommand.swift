import ArgumentParser
import Foundation
import Mirrorwatch
import MirrorwatchReport

struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "One evidence report: findings, live state against the baseline, coverage, access, exceptions, inputs with hashes.",
        discussion: "Writes a self-contained HTML file (--html) and/or a JSON document (--json) with the same content. "
            + "Exit status as for scan: 1 with --fail-on when a finding reaches it.")

    @OptionGroup var inputs: InputOptions

    @Option(name: .long, help: "Write the HTML report here.")
    var html: String?

    @Option(name: .long, help: "Write the JSON report here (- for standard output).")
    var json: String?

    @Option(name: .customLong("fail-on"), help: "Exit 1 when a finding has at least this severity.")
    var failOn: String?

    func validate() throws {
        try inputs.validateInputs()
        if html == nil && json == nil { throw ValidationError("give --html FILE and/or --json FILE") }
        if let failOn, Severity(name: failOn) == nil { throw ValidationError("--fail-on must be one of: info, low, medium, high, critical") }
    }

    func run() async throws {
        let policy = try inputs.loadPolicy()
        let result = try await inputs.runScan(policy: policy)
        let generated = inputs.now.flatMap { Timestamp.parse($0) } ?? Date()
        let report = AuditReport(result: result, policy: policy, generatedAt: generated, inputDigests: InputHasher.digests(of: result.reports))
        if let html { try FileHandleOutput.write(AuditHTML.render(report), to: html) }
        if let json { try FileHandleOutput.write(AuditJSON.render(report), to: json) }
        try InputOptions.failOnUnreadablePaths(result)
        if let failOn, let threshold = Severity(name: failOn), result.findings.contains(where: { $0.severity >= threshold }) { throw ExitCode(1) }
    }
}
