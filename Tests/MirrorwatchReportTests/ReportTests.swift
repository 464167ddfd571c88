import Foundation
import Mirrorwatch
import MirrorwatchReport
import MirrorwatchTestSupport
import Testing

/// The evidence report built from the bundled example organization.
enum ExampleReport {
    static let now = Timestamp.parse("2026-11-29T00:00:00Z")!

    static func build() async throws -> AuditReport {
        let policy = try PolicyLoader.load(path: RepositoryPaths.examples + "/policy.yaml")
        let paths = ["aws", "gcp", "azure", "devices", "tickets"].map { RepositoryPaths.examples + "/" + $0 }
        let result = await Scanner.scan(ScanOptions(paths: paths, policy: policy, now: now))
        return AuditReport(result: result, policy: policy, generatedAt: now, inputDigests: InputHasher.digests(of: result.reports))
    }
}

@Suite struct AuditJSONTests {
    @Test func everySectionIsThereAndFindingsFollowTheContract() async throws {
        let report = try await ExampleReport.build()
        let json = try JSONParser.parse(AuditJSON.render(report))
        for key in ["summary", "findings", "graph", "coverage", "access", "exceptions", "inputs"] { #expect(json[key] != nil, "\(key)") }
        #expect(json["summary"]?["findings"]?.int == report.result.correlatedFindings.count)
        #expect(json["findings"]?.elements.count == report.result.correlatedFindings.count)
        #expect(json["findings"]?.elements.first?["severity"]?.text == "critical", "most severe first")
        let graph = json["graph"]?.elements ?? []
        #expect(graph.contains { $0["approved"] == .bool(false) && $0["external"] == .bool(true) })
        #expect(graph.contains { $0["approved_as"]?.text == "ERSPAN collector farm" })
        let principals = json["access"]?["principals"]?.elements ?? []
        #expect(principals.contains { $0["name"]?.text == "DeployRole" && $0["verdict"]?.text == "can" && $0["authorized_by"] == nil || $0["authorized_by"]?.isNull == true })
        #expect(principals.contains { $0["name"]?.text == "NetworkAdmin" && $0["authorized_by"]?.text == "arn:aws:iam::111122223333:role/NetworkAdmin" })
        let scopes = json["coverage"]?["scopes"]?.elements ?? []
        #expect(scopes.contains { $0["account"]?.text == "sec-tools-0815" && $0["named_in_policy"] == .bool(true) && $0["telemetry"]?["control-plane"] == nil })
        let exceptions = json["exceptions"]?.elements ?? []
        #expect(exceptions.first { $0["id"]?.text == "EXC-12" }?["status"]?.text == "expired")
        #expect(exceptions.first { $0["id"]?.text == "EXC-15" }?["status"]?.text == "active")
    }

    @Test func inputsCarryTheirSHA256() async throws {
        let report = try await ExampleReport.build()
        let policyInput = try #require(report.result.reports.first { $0.input.hasSuffix("servicenow-change_request.csv") })
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
        process.arguments = [policyInput.input]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        process.waitUntilExit()
        let expected = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).split(separator: " ").first.map(String.init)
        #expect(report.inputDigests[policyInput.input] == expected)
        #expect(InputHasher.sha256(path: "-") == nil)
    }
}

@Suite struct AuditHTMLTests {
    @Test func selfContainedWithEverySectionAndEscaped() async throws {
        var report = try await ExampleReport.build()
        var hostile = report.result.correlatedFindings[0]
        hostile.title = "<script>alert(1)</script> & \"quoted\""
        report.result.correlatedFindings.append(hostile)
        let html = AuditHTML.render(report)
        for id in ["summary", "findings", "graph", "coverage", "access", "exceptions", "inputs", "mirroring-graph", "coverage-matrix", "access-table", "inputs-table"] {
            #expect(html.contains("id=\"\(id)\""), "\(id)")
        }
        #expect(!html.contains("<script"), "no script, and hostile text is escaped")
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quoted&quot;"))
        #expect(!html.contains("<link") && !html.contains(" src=") && !html.contains("@import") && !html.contains("url("), "no external asset")
        #expect(html.contains(report.inputDigests.values.first ?? "none"))
    }
}

/// A Network Load Balancer destination in the report: the members that really receive the packets.
@Suite struct AuditReceiverTests {
    @Test func theGraphListsTheMembersBehindALoadBalancerDestination() async throws {
        let nlb = "arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/net/ndr-sensor/0a1b"
        let group = "arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/ndr-vxlan/11"
        let dir = TemporaryDirectory()
        dir.write("snapshots/111122223333/us-east-1/targets.json",
                  #"{"TrafficMirrorTargets":[{"TrafficMirrorTargetId":"tmt-nlb","NetworkLoadBalancerArn":""# + nlb + #"","OwnerId":"111122223333"}]}"#)
        dir.write("snapshots/111122223333/us-east-1/sessions.json",
                  #"{"TrafficMirrorSessions":[{"TrafficMirrorSessionId":"tms-live","TrafficMirrorTargetId":"tmt-nlb","TrafficMirrorFilterId":"tmf-1","NetworkInterfaceId":"eni-web","OwnerId":"111122223333","SessionNumber":1}]}"#)
        dir.write("snapshots/111122223333/us-east-1/describe-target-groups.json",
                  #"{"TargetGroups":[{"TargetGroupArn":""# + group + #"","Protocol":"UDP","Port":4789,"LoadBalancerArns":[""# + nlb + #""]}]}"#)
        dir.write("cloudtrail/trail.json", CloudTrailFixture.s3Object([CloudTrailFixture.registerTargets(group, ["10.9.0.7", "10.1.2.3"], at: "2026-11-03T11:00:00Z")]))
        let policyPath = dir.write("policy.yaml", """
            version: 1
            organization: {aws_accounts: ["111122223333"], internal_cidrs: [10.0.0.0/8]}
            approved_destinations:
              - {name: sensor NLB, nlb: \(nlb), owner: netsec, reason: NDR}
              - {name: sensor fleet, ip: 10.9.0.0/24, owner: netsec, reason: NDR sensor subnet}
            """)
        let policy = try PolicyLoader.load(path: policyPath)
        let result = await Scanner.scan(ScanOptions(paths: [dir.path + "/snapshots", dir.path + "/cloudtrail"], policy: policy, now: ExampleReport.now))
        let report = AuditReport(result: result, policy: policy, generatedAt: ExampleReport.now)
        let json = try JSONParser.parse(AuditJSON.render(report))
        let session = try #require(json["graph"]?.elements.first { $0["session"]?.text == "tms-live" })
        let receivers = session["receivers"]?.elements ?? []
        #expect(receivers.map { $0["id"]?.text } == ["10.9.0.7", "10.1.2.3"])
        #expect(receivers.map { $0["approved"] } == [.bool(true), .bool(false)] && receivers.first?["approved_as"]?.text == "sensor fleet")
        #expect(receivers.allSatisfy { $0["target_group"]?.text == group })
        let html = AuditHTML.render(report)
        #expect(html.contains("members: <code>10.9.0.7</code> <span class=\"ok\">approved</span> (sensor fleet), <code>10.1.2.3</code> <span class=\"bad\">not approved</span>"))
    }
}

/// The example security account's story, as examples/README.md tells it.
@Suite struct ExampleBalancerStoryTests {
    @Test func anOutsideAddressBehindTheSensorNLBIsCriticalAndTheFleetScalingIsOnlyObserved() async throws {
        let result = try await ExampleReport.build().result
        let stolen = result.findings.filter { $0.destination?.endpoint.id == "192.168.77.10" }
        #expect(Set(stolen.map(\.rule)) == [RuleID.unapprovedDestination, RuleID.externalDestination], "\(stolen.map(\.rule))")
        #expect(stolen.allSatisfy { $0.severity == .critical && $0.actor?.name.contains("SensorOps/jenkins-build-8812") == true })
        #expect(result.findings.contains { $0.rule == RuleID.unauthorizedActor && $0.why.contains("called RegisterTargets") })
        let scaling = result.findings.filter { $0.actor?.name.contains("AWSServiceRoleForAutoScaling") == true }
        #expect(scaling.map(\.rule) == [RuleID.observed], "\(scaling.map { "\($0.rule) \($0.title)" })")
    }
}
