import Foundation
import Mirrorwatch
import MirrorwatchJSON
import MirrorwatchTestSupport
import Testing

@Suite struct FormatterTests {
    static func sampleFindings() async throws -> [Finding] {
        let policy = try PolicyLoader.load(path: RepositoryPaths.examples + "/policy.yaml")
        let result = await Scanner.scan(ScanOptions(paths: [RepositoryPaths.examples + "/aws", RepositoryPaths.examples + "/tickets"],
                                                    policy: policy, now: Timestamp.parse("2026-11-29T00:00:00Z")!, parallelism: 2))
        return result.findings
    }

    @Test func jsonLinesFollowTheContract() async throws {
        let findings = try await Self.sampleFindings()
        let lines = FindingFormat.jsonl.render(findings).split(separator: "\n")
        #expect(lines.count == findings.count)
        let keys = ["id", "rule", "severity", "title", "why", "platform", "time", "scope", "actor", "change", "source",
                    "destination", "ticket", "exception", "evidence", "attack"]
        for (line, finding) in zip(lines, findings) {
            let value = try JSONParser.parse(String(line))
            for key in keys { #expect(value[key] != nil, "missing \(key) in \(line)") }
            #expect(value["id"]?.text == finding.id)
            #expect(["info", "low", "medium", "high", "critical"].contains(value["severity"]?.text ?? ""))
            #expect(value["platform"]?.text == "aws")
            #expect(Timestamp.parse(value["time"]?.text ?? "") != nil)
            #expect(value["time"]?.text?.hasSuffix("Z") == true)
            #expect(value["attack"]?.elements.first?.text == "T1020.001")
            let evidence = try #require(value["evidence"]?.elements.first)
            #expect(evidence["input"]?.text?.isEmpty == false)
            #expect(evidence["position"]?.text?.isEmpty == false)
            if let destination = value["destination"], !destination.isNull {
                #expect(destination["approved"] == .bool(true) || destination["approved"] == .bool(false))
                #expect(destination["kind"]?.text != nil && destination["id"]?.text != nil)
            }
            if let change = value["change"], !change.isNull {
                #expect(["create", "modify", "delete"].contains(change["action"]?.text ?? ""))
                #expect(change["outcome"]?.text != nil)
            }
        }
        let downgraded = try #require(lines.first { $0.contains("\"exception\":\"EXC-15\"") })
        let value = try JSONParser.parse(String(downgraded))
        #expect(value["severity"]?.text == "info")
        #expect(value["original_severity"]?.text == "medium" || value["original_severity"]?.text == "high")
    }

    /// CEF lines cannot be split by text from logs: a title with a line break stays one event, and
    /// control characters (NUL ends a syslog message) become spaces.
    @Test func cefKeepsEachFindingOnOneLine() throws {
        var finding = Finding(rule: "MW-TEST", severity: .high, title: "Mirror session by mallory\nCEF:0|forged|event", why: "a\u{0}b\rc",
                              benignIf: "never", platform: .aws, time: Date(timeIntervalSince1970: 0), scope: Scope(account: "1"),
                              subject: "s", evidence: [])
        finding.ticket = "CHG-1\u{1b}[2J\u{85}"
        let line = AlertFormats.cef(finding, version: "1.0")
        #expect(!line.unicodeScalars.contains { $0.value < 0x20 || ($0.value >= 0x7F && $0.value <= 0x9F) }, "\(line)")
        #expect(line.contains("|Mirror session by mallory CEF:0\\|forged\\|event|"), "\(line)")
        #expect(line.contains("msg=a b\\rc"), "\(line)")
        #expect(line.contains("cs4=CHG-1 [2J "), "\(line)")
        // Slack's fallback text is escaped like its blocks.
        finding.title = "<!channel> <https://evil.example|click>"
        #expect(!AlertFormats.slack(finding).contains("<!channel>"))
    }

    @Test func jsonEscapesControlCharactersAndQuotes() throws {
        var finding = Finding(rule: RuleID.observed, severity: .info, title: "quote \" backslash \\ tab \t nl \n bell \u{7}", why: "é😀",
                              benignIf: "x", platform: .aws, time: Date(timeIntervalSince1970: 0), scope: Scope(account: "1"),
                              subject: "s", evidence: [Evidence(input: "in\"put", record: 3)])
        finding.ticket = nil
        let line = FindingJSON.line(finding)
        #expect(!line.contains("\n"))
        let value = try JSONParser.parse(line)
        #expect(value["title"]?.text == finding.title)
        #expect(value["why"]?.text == "é😀")
        #expect(value["ticket"]?.isNull == true)
        #expect(value["evidence"]?.elements.first?["record"]?.text == "3")
        #expect(value["evidence"]?.elements.first?["input"]?.text == "in\"put")
    }

    @Test func ocsfDetectionFinding() async throws {
        let findings = try await Self.sampleFindings()
        let critical = try #require(findings.first { $0.severity == .critical })
        let value = try JSONParser.parse(OCSFFormatter.line(critical))
        #expect(value["class_uid"]?.int == 2004)
        #expect(value["category_uid"]?.int == 2)
        #expect(value["type_uid"]?.int == 200401)
        #expect(value["severity_id"]?.int == 5)
        #expect(value["metadata"]?["version"]?.text?.hasPrefix("1.") == true)
        #expect(value["finding_info"]?["uid"]?.text == critical.id)
        let attack = try #require(value["finding_info"]?["attacks"]?.elements.first)
        #expect(attack["technique"]?["uid"]?.text == "T1020.001")
        #expect(attack["tactic"]?["uid"]?.text == "TA0010")
        #expect(value["time"]?.int == Int(critical.time.timeIntervalSince1970 * 1000))
        // Blinding the logs is defense evasion, named as ATT&CK names it.
        let tamper = Finding(rule: RuleID.loggingTampered, severity: .high, title: "StopLogging", why: "w", benignIf: "b", platform: .aws,
                             time: Date(timeIntervalSince1970: 0), scope: Scope(account: "1"), subject: "s", evidence: [], attack: ["T1020.001", "T1562.008"])
        let attacks = try JSONParser.parse(OCSFFormatter.line(tamper))["finding_info"]?["attacks"]?.elements ?? []
        let evasion = try #require(attacks.first { $0["technique"]?["uid"]?.text?.hasPrefix("T1562") == true })
        #expect(evasion["tactic"]?["uid"]?.text == "TA0005" && evasion["tactic"]?["name"]?.text == "Defense Evasion")
        #expect(evasion["technique"]?["name"]?.text?.hasPrefix("Impair Defenses") == true)
    }

    /// A failed call's outcome is the contract's `failure`, its code beside it.
    @Test func failedCallsSayFailureWithTheirError() async throws {
        let findings = try await Self.sampleFindings()
        let failed = try #require(findings.first { $0.change.map { $0.outcome != "success" } ?? false })
        let change = try JSONParser.parse(FindingJSON.line(failed))["change"]
        #expect(change?["outcome"]?.text == "failure")
        #expect(change?["error"]?.text?.isEmpty == false)
        #expect(findings.compactMap(\.change).allSatisfy { ["success", "failure"].contains($0.outcome) })
    }

    @Test func tableFitsItsWidth() async throws {
        let findings = try await Self.sampleFindings()
        for width in [80, 100, 140] {
            let text = TableFormatter(width: width).render(findings)
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            #expect(lines.allSatisfy { $0.count <= width }, "a line exceeds \(width) columns")
            #expect(text.contains("CRITICAL") || text.contains("critical"))
        }
        #expect(TableFormatter().render([]).contains("No findings"))
    }
}
