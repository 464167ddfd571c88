import Foundation
import MirrorwatchPolicy
import Testing

@Suite struct PolicyLoaderTests {
    func load(_ text: String) throws(PolicyError) -> Policy { try PolicyLoader.parse(text, file: "policy.yaml") }

    func problems(_ text: String) -> [PolicyProblem] {
        do { _ = try load(text); return [] } catch { return error.problems }
    }

    @Test func bundledExamplePolicyLoads() throws {
        let policy = try PolicyLoader.load(path: RepositoryPathsForPolicy.examplePolicy)
        #expect(policy.organization.awsAccounts == ["111122223333", "444455556666"])
        #expect(policy.approvedDestinations.first?.target == "tmt-0sensor0000000001")
        #expect(policy.sensitiveSegments.first?.name == "pci")
        #expect(policy.changeControl.requireTicket)
        #expect(policy.changeControl.matchWindow == 4 * 3600)
        #expect(policy.transientWindow == 3600)
        #expect(policy.exceptions.map(\.id) == ["EXC-12", "EXC-15"])
        #expect(policy.approvedSessions?.first?.id == "tms-0sensor0000000001")
    }

    @Test func fullDesignPolicyLoads() throws {
        let policy = try load("""
        version: 1
        organization:
          aws_accounts: ["111122223333"]
          gcp_projects: [prod-network]
          azure_subscriptions: ["00000000-0000-0000-0000-000000000001"]
          internal_cidrs: [10.0.0.0/8, "fd00::/8"]
        approved_destinations:
          - {name: sensor, target: tmt-1, owner: netsec, reason: NDR}
          - {name: collector, ip: 10.9.9.9, owner: netsec, reason: ERSPAN collector}
          - {name: span port, device: sw1, interface: Gi1/0/48, owner: netsec, reason: local capture}
        sensitive_segments:
          - {name: pci, cidrs: [10.20.0.0/16], subnets: [subnet-1], enis: [eni-1], instances: [i-1], tags: {DataClass: pci}, devices: {sw1: [Gi1/0/1]}, vlans: [20]}
        authorized_identities: ["arn:aws:iam::111122223333:role/NetworkAdmin", "netops-*@example.com"]
        change_control: {require_ticket: true, match_window: 2h, timezone: Europe/Berlin}
        transient_window: 30m
        exceptions:
          - {id: EXC-1, rule: mirror.destination.unapproved, match: {destination: tmt-9, account: "111122223333"}, owner: a, justification: b, ticket: CHG1, expires: 2027-01-31}
        """)
        #expect(policy.approvedDestinations.count == 3)
        #expect(policy.approvedDestinations[1].ip?.contains("10.9.9.9") == true)
        #expect(policy.organization.internalCIDRs.count == 2)
        #expect(policy.changeControl.timeZone.identifier == "Europe/Berlin")
        #expect(policy.transientWindow == 1800)
        let exception = try #require(policy.exceptions.first)
        #expect(exception.match.destination == "tmt-9" && exception.match.account == "111122223333")
        #expect(exception.expires > Date(timeIntervalSince1970: 1_800_000_000))
        #expect(policy.sensitiveSegments[0].vlans == [20])
    }

    @Test func unknownKeyNamesLineColumnAndAlternatives() throws {
        let found = problems("version: 1\norganization:\n  aws_acounts: [\"111122223333\"]\n")
        let problem = try #require(found.first)
        #expect(problem.file == "policy.yaml")
        #expect(problem.line == 3)
        #expect(problem.column == 3)
        #expect(problem.reason.contains("unknown key 'aws_acounts'"))
        #expect(problem.reason.contains("aws_accounts"))
    }

    @Test func exceptionsNeedOwnerJustificationAndExpiry() {
        let found = problems("""
        version: 1
        exceptions:
          - id: EXC-1
            rule: mirror.destination.unapproved
            match: {destination: tmt-1}
        """)
        let reasons = found.map(\.reason).joined(separator: "\n")
        #expect(reasons.contains("needs 'owner'"))
        #expect(reasons.contains("needs 'justification'"))
        #expect(reasons.contains("needs 'expires'"))
        #expect(found.allSatisfy { $0.line == 3 })
    }

    @Test(arguments: [
        ("organization: {internal_cidrs: [10.0.0.0/33]}", "not a valid CIDR"),
        ("organization: {internal_cidrs: [10.0.0.256/8]}", "not a valid CIDR"),
        ("organization: {aws_accounts: [\"12345\"]}", "12-digit"),
        ("transient_window: soon", "not a duration"),
        ("change_control: {timezone: Mars/Olympus}", "not a known time zone"),
        ("change_control: {require_ticket: maybe}", "true or false"),
        ("exceptions: [{id: E, rule: mirror.nope, match: {resource: x}, owner: a, justification: b, expires: 2027-01-01}]", "unknown rule id"),
        ("exceptions: [{id: E, rule: mirror.filter.broad, match: {resource: x}, owner: a, justification: b, expires: someday}]", "is not a date"),
        ("exceptions: [{id: E, rule: mirror.filter.broad, owner: a, justification: b, expires: 2027-01-01}]", "needs 'match'"),
        ("exceptions: [{id: E, rule: mirror.filter.broad, match: {resource: x}, owner: a, justification: b, expires: 2027-02-31}]", "is not a date"),
        ("exceptions: [{id: E, rule: mirror.filter.broad, match: {resource: x}, owner: null, justification: b, expires: 2027-01-01}]", "owner has no value (YAML null)"),
        ("exceptions: [{id: E, rule: mirror.filter.broad, match: {resource: x}, owner: a, justification: ~, expires: 2027-01-01}]", "justification has no value (YAML null)"),
        ("exceptions: [{id: E, rule: \"bogus*\", match: {resource: x}, owner: a, justification: b, expires: 2027-01-01}]", "unknown rule id 'bogus*'"),
        ("exceptions: [{id: E, rule: mirror.filter.broad, match: {}, owner: a, justification: b, expires: 2027-01-01}]", "match names nothing"),
        ("approved_destinations: [{device: sw1, vlan: 5000, owner: a, reason: b}]", "5000 is not a VLAN (1-4094)"),
        ("approved_destinations: [{name: x, owner: a, reason: b}]", "names no destination"),
        ("approved_destinations: [{name: x, target: tmt-1, reason: b}]", "needs 'owner'"),
        ("approved_destinations: [{name: x, interface: Gi1/0/1, owner: a, reason: b}]", "needs 'device'"),
        ("approved_sessions: [{id: tms-1, session_number: 0, owner: a}]", "0 is not a session number (1-32766)"),
        ("approved_sessions: [{id: tms-1, session_number: first, owner: a}]", "must be a whole number"),
        ("approved_sessions: [{id: tms-1, packet_length: 9001, owner: a}]", "9001 is not a truncating length"),
        ("approved_sessions: [{id: tms-1, packet_length: half, owner: a}]", "a number of bytes, or whole"),
        ("approved_sessions: [{id: \"core-sw1:monitor session 1\", packet_length: 128, owner: a}]", "only AWS sessions (tms-…) have one"),
    ])
    func invalidValuesAreRejectedWithReason(_ snippet: String, _ expected: String) throws {
        let found = problems("version: 1\n" + snippet + "\n")
        let problem = try #require(found.first, "no problem reported for \(snippet)")
        #expect(problem.reason.contains(expected), "\(problem.reason)")
        #expect(problem.line == 2)
    }

    @Test func versionIsRequiredAndChecked() {
        #expect(problems("organization: {}\n").first?.reason.contains("version: 1") == true)
        #expect(problems("version: 2\n").first?.reason.contains("unsupported policy version 2") == true)
    }

    @Test func brokenYAMLAndEmptyFiles() {
        #expect(problems("version: 1\norganization: [\n").first?.reason.hasPrefix("not valid YAML") == true)
        #expect(problems("").first?.reason == "the policy file is empty")
    }

    @Test func duplicateKeysAndExceptionIds() {
        #expect(problems("version: 1\nversion: 1\n").contains { $0.reason.contains("duplicate key 'version'") })
        let twice = """
        version: 1
        exceptions:
          - {id: E, rule: mirror.filter.broad, match: {resource: x}, owner: a, justification: b, expires: 2027-01-01}
          - {id: E, rule: mirror.filter.broad, match: {resource: y}, owner: a, justification: b, expires: 2027-01-01}
        """
        #expect(problems(twice).contains { $0.reason.contains("used twice") })
    }

    @Test func everyProblemIsReportedAtOnce() {
        let found = problems("version: 1\nfoo: 1\nbar: 2\ntransient_window: x\n")
        #expect(found.count == 3)
        #expect(found.map(\.line) == [2, 3, 4])
    }

    @Test func missingAndNonUTF8FilesAreErrors() throws {
        #expect(throws: PolicyError.self) { try PolicyLoader.load(path: "/nonexistent/policy.yaml") }
        let path = NSTemporaryDirectory() + "mw-latin1-\(UUID().uuidString).yaml"
        FileManager.default.createFile(atPath: path, contents: Data([0x76, 0x65, 0x72, 0xE9, 0xFF, 0x0A]))
        defer { try? FileManager.default.removeItem(atPath: path) }
        do {
            _ = try PolicyLoader.load(path: path)
            Issue.record("non-UTF-8 policy accepted")
        } catch {
            #expect(error.problems.first?.reason == "the policy file is not UTF-8 text")
            #expect(error.description.contains(path))
        }
    }
}

enum RepositoryPathsForPolicy {
    static var examplePolicy: String {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path + "/examples/policy.yaml"
    }
}
