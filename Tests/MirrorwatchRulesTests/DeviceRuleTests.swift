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
        #expect(observed.allSatisfy { $0.time == Timestamp.parse("2026-11-03T06:00:00Z") && $0.actor == nil })
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
