import Foundation
import Mirrorwatch
import MirrorwatchTestSupport
import Testing

/// The same rules on switch and router mirroring, from configuration snapshots.
@Suite struct DeviceRuleTests {
    static let policy = """
    version: 1
    organization: {internal_cidrs: [10.0.0.0/8]}
    approved_destinations:
      - {name: core tap port, device: core-sw1, interface: GigabitEthernet1/0/48, owner: netops, reason: NDR tap aggregator}
      - {name: RSPAN to the sensor switch, device: core-sw1, vlan: 900, owner: netops, reason: RSPAN}
      - {name: ERSPAN collectors, ip: 10.99.1.0/24, owner: netsec, reason: ERSPAN collector farm}
    sensitive_segments:
      - {name: cardholder, devices: {core-sw1: [Gi1/0/1]}, vlans: [20]}
    change_control: {require_ticket: false}

    """

    func config(_ sessions: String) -> String { "hostname core-sw1\n!\n" + sessions + "\nend\n" }

    func scan(_ files: [String: String], modified: [String: Date] = [:]) async throws -> ScanResult {
        var scenario = Scenario(policy: Self.policy)
        for (name, text) in files { scenario.files["snapshots/" + name] = text }
        return try await scenario.runAll(modified: modified.mapKeys { "snapshots/" + $0 })
    }

    @Test func approvedLocalSpanAndRspanAreQuiet() async throws {
        let result = try await scan(["core-sw1.cfg": config("""
        monitor session 1 source interface Gi1/0/1 both
        monitor session 1 destination interface Gi1/0/48
        monitor session 2 source vlan 30
        monitor session 2 destination remote vlan 900
        """)])
        #expect(result.findings(RuleID.unapprovedDestination).isEmpty)
        #expect(result.findings(RuleID.sensitiveSource).first?.severity == .info)
        #expect(result.findings(RuleID.sensitiveSource).first?.platform == .ciscoIOS)
    }

    @Test func erspanToAnExternalAddressIsCritical() async throws {
        let result = try await scan(["core-sw1.cfg": config("""
        monitor session 3 type erspan-source
         source vlan 20
         destination
          erspan-id 7
          ip address 203.0.113.50
        """)])
        let external = try #require(result.findings(RuleID.externalDestination).first)
        #expect(external.severity == .critical)
        #expect(external.scope.device == "core-sw1")
        #expect(external.why.contains("outside organization.internal_cidrs"))
        #expect(external.evidence.first?.line == 3)
        #expect(result.findings(RuleID.unapprovedDestination).first?.severity == .critical)
        #expect(result.findings(RuleID.sensitiveSource).first?.source?.segment == "cardholder")
    }

    @Test func approvedCollectorRangeCoversErspan() async throws {
        let result = try await scan(["core-sw1.cfg": config("monitor session 4 type erspan-source\n source interface Gi1/0/7\n destination\n  ip address 10.99.1.20\n no shutdown")])
        #expect(result.findings(RuleID.unapprovedDestination).isEmpty)
        #expect(result.findings(RuleID.externalDestination).isEmpty)
    }

    @Test func shutDownSessionCopiesNothing() async throws {
        let result = try await scan(["core-sw1.cfg": config("monitor session 4 type erspan-source\n source interface Gi1/0/1\n destination\n  ip address 203.0.113.9\n shutdown")])
        #expect(result.findings(RuleID.unapprovedDestination).isEmpty)
    }

    @Test func twoSnapshotsGiveTheChangesBetweenThem() async throws {
        let monday = config("""
        monitor session 1 source interface Gi1/0/1 both
        monitor session 1 destination interface Gi1/0/48
        monitor session 2 source vlan 30
        monitor session 2 destination remote vlan 900
        """)
        let tuesday = config("""
        monitor session 1 source interface Gi1/0/1 both
        monitor session 1 destination interface Gi1/0/12
        monitor session 3 type erspan-source
         source interface Gi1/0/5
         destination
          ip address 10.99.1.30
        """)
        let result = try await scan(["rancid/core-sw1.2026-11-02": monday, "rancid/core-sw1.2026-11-03": tuesday],
                                    modified: ["rancid/core-sw1.2026-11-02": Timestamp.parse("2026-11-02T06:00:00Z")!,
                                               "rancid/core-sw1.2026-11-03": Timestamp.parse("2026-11-03T06:00:00Z")!])
        let observed = result.findings(RuleID.observed)
        #expect(observed.map { $0.change?.action } == [.modify, .create, .delete])
        #expect(observed.allSatisfy { $0.time == Timestamp.parse("2026-11-03T00:00:00Z") && $0.actor == nil }, "the date in the snapshot path")
        let repointed = try #require(result.findings(RuleID.repointed).first)
        #expect(repointed.title.contains("re-pointed to core-sw1:GigabitEthernet1/0/12"))
        #expect(repointed.severity == .critical, "the cardholder port now goes to an unapproved port")
        #expect(result.findings(RuleID.unauthorizedActor).isEmpty, "a configuration diff names no actor")
        #expect(result.graph.sessions["core-sw1:monitor session 2"] == nil)
    }
}

extension Dictionary {
    func mapKeys<T: Hashable>(_ transform: (Key) -> T) -> [T: Value] { Dictionary<T, Value>(uniqueKeysWithValues: map { (transform($0.key), $0.value) }) }
}

@Suite struct DeviceLogRuleTests {
    static let policy = DeviceRuleTests.policy.replacingOccurrences(of: "change_control: {require_ticket: false}",
                                                                   with: "authorized_identities: [\"netops-*\"]\nchange_control: {require_ticket: true}\ntransient_window: 1h")

    func scan(_ logs: String) async throws -> ScanResult {
        var scenario = Scenario(policy: Self.policy)
        scenario.files["snapshots/core-sw1.cfg"] = "hostname core-sw1\n!\nmonitor session 1 source interface Gi1/0/1 both\nmonitor session 1 destination interface Gi1/0/48\nend\n"
        scenario.files["snapshots/logs/core-sw1.log"] = logs
        return try await scenario.runAll(modified: ["snapshots/core-sw1.cfg": Timestamp.parse("2026-11-01T00:00:00Z")!])
    }

    @Test func unauthorizedErspanToTheInternetFromACardholderPort() async throws {
        let result = try await scan(DeviceLogFixture.iosErspanAttack)
        let external = try #require(result.findings(RuleID.externalDestination).first)
        #expect(external.severity == .critical)
        #expect(external.actor?.name == "mallory")
        #expect(external.actor?.sourceIP == "198.51.100.23")
        #expect(external.evidence.first?.line == 6)
        #expect(external.platform == .ciscoIOS)
        #expect(result.findings(RuleID.sensitiveSource).contains { $0.severity == .critical && $0.source?.segment == "cardholder" })
        #expect(result.findings(RuleID.unauthorizedActor).contains { $0.severity == .high })
        #expect(result.findings(RuleID.noTicket).count >= 1)
        let transient = try #require(result.findings(RuleID.transient).first)
        #expect(transient.title.contains("lived only"))
        #expect(result.findings(RuleID.coverageGap).isEmpty, "command logs were read")
    }

    /// A short-lived SPAN session by an authorized engineer is lowered only when every one of its
    /// destinations is approved: a second, unapproved port keeps it where it was.
    @Test func aTransientSessionWithAnyUnapprovedDestinationIsNotLowered() async throws {
        func transient(_ destinations: [String]) async throws -> Finding? {
            var scenario = Scenario(policy: Self.policy.replacingOccurrences(of: "require_ticket: true", with: "require_ticket: false"))
            scenario.files["snapshots/core-sw1.cfg"] = "hostname core-sw1\n!\nmonitor session 1 source interface Gi1/0/1 both\nmonitor session 1 destination interface Gi1/0/48\nend\n"
            var log = "Nov  3 11:00:00 core-sw1 90: %PARSER-5-CFGLOG_LOGGEDCMD: User:netops-carol  logged command:monitor session 5 source interface Gi1/0/2 both\n"
            for (i, port) in destinations.enumerated() {
                log += "Nov  3 11:00:0\(i + 1) core-sw1 9\(i + 1): %PARSER-5-CFGLOG_LOGGEDCMD: User:netops-carol  logged command:monitor session 5 destination interface \(port)\n"
            }
            log += "Nov  3 11:10:00 core-sw1 99: %PARSER-5-CFGLOG_LOGGEDCMD: User:netops-carol  logged command:no monitor session 5\n"
            scenario.files["snapshots/logs/core-sw1.log"] = log
            return try await scenario.runAll(modified: ["snapshots/core-sw1.cfg": Timestamp.parse("2026-11-01T00:00:00Z")!]).findings(RuleID.transient).first
        }
        let approved = try #require(try await transient(["Gi1/0/48"]))
        #expect(approved.severity == .medium && approved.why.contains("Lowered to medium"), "\(approved.severity) \(approved.why)")
        let mixed = try #require(try await transient(["Gi1/0/48", "Gi1/0/13"]))
        #expect(mixed.severity >= .high && !mixed.why.contains("Lowered"), "\(mixed.severity) \(mixed.why)")
    }

    @Test func repointingALiveSpanSessionByCommand() async throws {
        let log = "Nov  3 11:00:00 core-sw1 90: %PARSER-5-CFGLOG_LOGGEDCMD: User:netops-bob  logged command:monitor session 1 destination interface Gi1/0/13\n"
        let result = try await scan(log)
        let repointed = try #require(result.findings(RuleID.repointed).first)
        #expect(repointed.severity == .critical)
        #expect(repointed.title.contains("core-sw1:GigabitEthernet1/0/13"))
        #expect(result.findings(RuleID.unauthorizedActor).isEmpty)
    }

    @Test func coverageGapAndLoggingTampered() async throws {
        let log = """
        Nov  3 09:00:00 dist-sw4 512: %SYS-5-CONFIG_I: Configured from console by admin on vty0 (10.9.9.9)
        Nov  3 09:06:00 core-sw1 77: %PARSER-5-CFGLOG_LOGGEDCMD: User:mallory  logged command:no logging host 10.5.5.5
        """
        let result = try await scan(log)
        let gap = try #require(result.findings(RuleID.coverageGap).first)
        #expect(gap.scope.device == "dist-sw4")
        #expect(gap.severity == .medium)
        let tamper = try #require(result.findings(RuleID.loggingTampered).first)
        #expect(tamper.severity == .high)
        #expect(tamper.title.contains("no logging host 10.5.5.5"))
        #expect(tamper.attack == ["T1020.001", "T1562.006"])
        #expect(tamper.change == nil, "a coverage finding")
    }
}

@Suite struct LocalAccountTests {
    @Test func aCommandFromALocalAccountWhereTacacsIsUsedIsUnauthorized() async throws {
        var scenario = Scenario(policy: DeviceLogRuleTests.policy)
        scenario.files["snapshots/logs/ise.log"] = "<181>Nov  3 09:00:00 ise01 CISE_TACACS_Accounting 0000001 1 0 2026-11-03 09:00:00.000 +00:00 1 3300 NOTICE TACACS: TACACS+ Accounting with Command, CmdSet=[ CmdAV=show running-config <cr> ], User=netops-carol, Remote-Address=10.20.30.40, NetworkDeviceName=core-sw1,\n"
        scenario.files["snapshots/logs/core-sw1.log"] = "Nov  3 10:00:00 core-sw1 90: %PARSER-5-CFGLOG_LOGGEDCMD: User:netops-backdoor  logged command:monitor session 7 destination interface Gi1/0/48\n"
            + "Nov  3 10:01:00 core-sw1 91: %PARSER-5-CFGLOG_LOGGEDCMD: User:netops-carol  logged command:monitor session 8 destination interface Gi1/0/48\n"
            + "Nov  3 10:02:00 core-sw1 92: %PARSER-5-CFGLOG_LOGGEDCMD: User:netops-carol  logged command:no monitor session all\n"
        let result = try await scenario.runAll()
        let unauthorized = result.findings(RuleID.unauthorizedActor)
        #expect(unauthorized.count == 1, "\(unauthorized.map(\.title))")
        #expect(unauthorized.first?.actor?.name == "netops-backdoor")
        #expect(unauthorized.first?.why.contains("local account") == true)
        #expect(result.graph.sessions.keys.filter { $0.hasPrefix("core-sw1:") }.isEmpty, "no monitor session all removes every session")
    }
}
