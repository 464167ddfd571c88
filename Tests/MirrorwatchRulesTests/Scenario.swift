import Foundation
import Mirrorwatch
import MirrorwatchTestSupport

typealias CT = CloudTrailFixture

/// A small organization on disk: CloudTrail records, snapshots, tickets and a policy, scanned for real.
struct Scenario {
    static let basePolicy = """
    version: 1
    organization: {aws_accounts: ["111122223333"], internal_cidrs: [10.0.0.0/8]}
    approved_destinations:
      - {name: sensor, target: tmt-ok, owner: netsec, reason: NDR sensors}
    sensitive_segments:
      - {name: pci, enis: [eni-pci], subnets: [subnet-pci]}
    authorized_identities: ["arn:aws:iam::111122223333:role/NetworkAdmin"]
    change_control: {require_ticket: true, match_window: 1h}
    transient_window: 1h

    """

    var records: [[String: Any]] = []
    var files: [String: String] = [:]
    var policy = Scenario.basePolicy
    var now = Timestamp.parse("2026-11-10T00:00:00Z")!

    init(_ records: [[String: Any]] = [], policy: String = Scenario.basePolicy) {
        self.records = records
        self.policy = policy
    }

    /// A ServiceNow row approving work on `resources` around `start`, assigned to alice.
    mutating func ticket(_ id: String, state: String = "Implement", start: String = "2026-11-03 08:30:00",
                         end: String = "2026-11-03 10:00:00", resources: String, summary: String = "Traffic mirroring to the NDR sensor") {
        let header = "number,short_description,state,start_date,end_date,assigned_to,u_affected_resources\n"
        let existing = files["tickets/change_request.csv"] ?? header
        files["tickets/change_request.csv"] = existing + "\(id),\"\(summary)\",\(state),\(start),\(end),alice@example.com,\"\(resources)\"\n"
    }

    /// Scans every file of the scenario (any folder), not only cloudtrail/snapshots/tickets.
    func runAll(modified: [String: Date] = [:]) async throws -> ScanResult { try await run(everything: true, modified: modified) }

    func run(parallelism: Int = 1, everything: Bool = false, modified: [String: Date] = [:]) async throws -> ScanResult {
        let dir = TemporaryDirectory()
        if !records.isEmpty { dir.write("cloudtrail/trail.json", CT.s3Object(records)) }
        for (name, text) in files { dir.write(name, text) }
        for (name, date) in modified {
            try FileManager.default.setAttributes([.modificationDate: date], ofItemAtPath: dir.path + "/" + name)
        }
        let policyPath = dir.write("policy.yaml", policy)
        let loaded = try PolicyLoader.load(path: policyPath)
        let folders = everything ? ["cloudtrail", "snapshots", "tickets", "gcp", "azure", "flows", "signin", "devices", "iam", "logging"] : ["cloudtrail", "snapshots", "tickets"]
        return await Scanner.scan(ScanOptions(paths: folders.map { dir.path + "/" + $0 }.filter { FileManager.default.fileExists(atPath: $0) },
                                              policy: loaded, now: now, parallelism: parallelism))
    }
}

extension ScanResult {
    func findings(_ rule: String) -> [Finding] { findings.filter { $0.rule == rule } }
    var rules: Set<String> { Set(findings.map(\.rule)) }
    /// Worst severity of the findings about mirroring (coverage findings are about the inputs read).
    var worst: Severity? { findings.filter { !$0.rule.hasPrefix("coverage.") }.map(\.severity).max() }
}

/// Common pieces of the story.
enum Chain {
    static var admin: [String: Any] { CT.role("NetworkAdmin", session: "alice@example.com") }
    static var intruder: [String: Any] { CT.user("mallory") }

    /// Alice signing in to the admin role through SAML: what shows that the session named
    /// alice@example.com is hers (a session name alone is whatever the caller chose).
    static var adminSignIn: [String: Any] { STS.samlSignIn("alice@example.com", role: "NetworkAdmin", at: "2026-11-03T08:40:00Z") }

    /// Target → filter → narrow rule → session, all by `who` (after the admin's sign-in when it is the admin).
    static func setup(session: String = "tms-1", source: String = "eni-web", target: String = "tmt-ok",
                      filterRule: [String: Any]? = nil, by who: [String: Any] = admin, targetOwner: String = CT.account,
                      nlb: String? = nil, gwlbe: String? = nil) -> [[String: Any]] {
        let made = nlb.map { CT.createTarget(target, nlb: $0, owner: targetOwner, by: who) }
            ?? gwlbe.map { CT.createTarget(target, gwlbe: $0, owner: targetOwner, by: who) }
            ?? CT.createTarget(target, eni: "eni-sensor-\(target)", owner: targetOwner, by: who)
        return ((who["arn"] as? String) == (admin["arn"] as? String) ? [adminSignIn] : []) + [
            made,
            CT.createFilter("tmf-\(session)", by: who),
            filterRule ?? CT.createRule("tmfr-\(session)", filter: "tmf-\(session)", destination: "10.1.0.0/16", proto: 6, by: who),
            CT.createSession(session, eni: source, target: target, filter: "tmf-\(session)", by: who),
        ]
    }
}
