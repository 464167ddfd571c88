import Foundation
import MirrorwatchModel
import MirrorwatchReaders
import MirrorwatchTestSupport
import Testing

/// Mutated real-shaped inputs: every reader must survive them, count what it read, and keep every
/// intact record it can reach. Deterministic (a fixed seed) so a failure reproduces.
@Suite struct RobustnessTests {
    static func mutate(_ bytes: [UInt8], rounds: Int, using rng: inout SeededGenerator) -> [UInt8] {
        var out = bytes
        let specials: [UInt8] = Array("{}[]\",:\\\n\u{0}".utf8) + [0xFF, 0xC3, 0xE2]
        for _ in 0..<rounds where !out.isEmpty {
            let at = Int(rng.next() % UInt64(out.count))
            switch rng.next() % 4 {
            case 0: out[at] = specials[Int(rng.next() % UInt64(specials.count))]
            case 1: out.remove(at: at)
            case 2: out.insert(specials[Int(rng.next() % UInt64(specials.count))], at: at)
            default: out.removeSubrange(at..<min(out.count, at + Int(rng.next() % 64)))
            }
        }
        return out
    }

    @Test(arguments: [
        ("trail.json", InputKind.cloudtrail),
        ("audit.jsonl", .gcpAudit),
        ("PT1H.json", .azureActivity),
        ("relay.log", .deviceSyslog),
        ("core-sw1.cfg", .deviceConfig),
    ])
    func mutatedInputsNeverCrashAndAreAccountedFor(_ name: String, _ kind: InputKind) {
        let seed: [UInt8]
        switch kind {
        case .cloudtrail:
            seed = Array(CT.s3Object((0..<40).map { i in i % 5 == 0 ? CT.createSession("tms-\(i)", eni: "eni-1", target: "tmt-1", filter: "tmf-1") : CT.other("GetObject") }).utf8)
        case .gcpAudit:
            seed = Array(CT.jsonLines((0..<10).flatMap { GCPAuditFixture.insert("pm-\($0)", collector: GCPAuditFixture.path("forwardingRules", "c")) }).utf8)
        case .azureActivity:
            seed = Array(CT.json(["records": (0..<8).flatMap { AzureActivityFixture.writeTap("tap-\($0)", destination: AzureActivityFixture.ipConfig("nic"), at: "2026-11-03T09:00:00Z") }]).utf8)
        case .deviceSyslog:
            seed = Array(String(repeating: DeviceLogFixture.iosErspanAttack + "\n", count: 5).utf8)
        default:
            seed = Array("hostname core-sw1\nmonitor session 1 source interface Gi1/0/1 - 4 both\nmonitor session 1 destination interface Gi1/0/48\nmonitor session 3 type erspan-source\n source vlan 20\n destination\n  ip address 203.0.113.5\n".utf8)
        }
        var rng = SeededGenerator(state: 0x5EED_0000 + UInt64(name.count))
        let intact = readBytes(name, seed)
        for round in 1...60 {
            let mutated = Self.mutate(seed, rounds: round % 12 + 1, using: &rng)
            let dir = TemporaryDirectory()
            let path = dir.write(name, mutated)
            let result = InputReader.read(InputSource.load(path), as: kind)
            // Never more changes than the intact input had (a mutation cannot invent records)...
            #expect(result.changes.count <= intact.changes.count + 2, "round \(round)")
            // ...and every problem names the input and a position.
            #expect(result.report.issues.allSatisfy { $0.input == path && !$0.position.isEmpty }, "round \(round)")
        }
    }
}
