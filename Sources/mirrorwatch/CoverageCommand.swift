import ArgumentParser
import Mirrorwatch
import MirrorwatchReport

struct CoverageCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "coverage",
        abstract: "What we can see, per platform and scope (accounts, regions, projects, subscriptions, devices), and the gaps.",
        discussion: "Prints the coverage matrix (records per telemetry kind and scope) and the coverage.gap and coverage.logging-tampered "
            + "findings. Exit status as for scan: 1 with --fail-on when a finding reaches it.")

    @OptionGroup var inputs: InputOptions
    @OptionGroup var report: ReportOptions

    func validate() throws {
        try inputs.validateInputs()
        try report.validate()
    }

    func run() async throws {
        try await report.run(inputs, rulePrefix: "coverage.", section: .coverage) { result, _ in CoverageTable.render(result.coverage) }
    }
}

struct AccessCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "access",
        abstract: "Who can configure mirroring (from IAM exports), and who should not.",
        discussion: "Reads aws iam get-account-authorization-details output and SCPs, GCP IAM policies, roles and deny policies, "
            + "Azure role definitions, assignments and deny assignments. Prints each principal with a mirroring write permission, "
            + "the policy path that grants or blocks it, and access.excessive findings for those not in authorized_identities.")

    @OptionGroup var inputs: InputOptions
    @OptionGroup var report: ReportOptions

    @Flag(name: .long, help: "Also list principals that cannot configure mirroring.")
    var all = false

    func validate() throws {
        try inputs.validateInputs()
        try report.validate()
    }

    func run() async throws {
        try await report.run(inputs, rulePrefix: "access.", section: .access) { result, policy in
            AccessTable.render(result.access, policy: policy, includeCannot: all)
        }
    }
}

/// Output options the review commands share.
struct ReportOptions: ParsableArguments {
    @Option(name: .long, help: "Output format: table or json.")
    var format: String = "table"

    @Option(name: .long, help: "Write to this file instead of standard output.")
    var out: String?

    @Option(name: .customLong("fail-on"), help: "Exit 1 when a finding has at least this severity.")
    var failOn: String?

    @Option(name: .long, help: "Table width in columns.")
    var width: Int = 100

    func validate() throws {
        if !["table", "json"].contains(format) { throw ValidationError("--format must be table or json") }
        if let failOn, Severity(name: failOn) == nil { throw ValidationError("--fail-on must be one of: info, low, medium, high, critical") }
    }

    /// Scans, then writes the section as JSON, or the table followed by the findings whose rule
    /// starts with `rulePrefix`; exits 1 when one reaches `--fail-on`.
    func run(_ inputs: InputOptions, rulePrefix: String, section: AuditReport.Section, table: (ScanResult, Policy) -> String) async throws {
        let policy = try inputs.loadPolicy()
        let result = try await inputs.runScan(policy: policy)
        let findings = result.findings.filter { $0.rule.hasPrefix(rulePrefix) }
        let text = format == "json"
            ? AuditJSON.render(AuditReport(result: result, policy: policy, sections: [section]))
            : table(result, policy) + "\n" + FindingFormat.table.render(findings, width: width)
        try FileHandleOutput.write(text, to: out)
        try InputOptions.failOnUnreadablePaths(result)
        if let failOn, let threshold = Severity(name: failOn), findings.contains(where: { $0.severity >= threshold }) { throw ExitCode(1) }
    }
}
