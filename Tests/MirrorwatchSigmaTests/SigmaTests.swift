import Foundation
import Mirrorwatch
import MirrorwatchSigma
import MirrorwatchTestSupport
import Testing

/// The Sigma export, checked with pySigma (the reference implementation): every rule must parse
/// without errors and convert with a real backend (Splunk). `.ci/run` installs pySigma from PyPI.
@Suite struct SigmaTests {
    static func export(policy: Policy) -> (TemporaryDirectory, [SigmaRule]) {
        let dir = TemporaryDirectory()
        let rules = SigmaExport.rules(policy: policy)
        for rule in rules { dir.write(rule.name + ".yml", rule.yaml(date: "2026-11-29")) }
        return (dir, rules)
    }

    /// Converts every rule in `dir` with pySigma's Splunk backend; returns "name<TAB>query" lines, or the error.
    static func convert(_ dir: String) -> CommandResult {
        let script = """
        import glob, sys
        from sigma.collection import SigmaCollection
        from sigma.backends.splunk import SplunkBackend
        backend = SplunkBackend()
        for path in sorted(glob.glob(sys.argv[1] + "/*.yml")):
            collection = SigmaCollection.from_yaml(open(path).read())
            for rule in collection.rules:
                if rule.errors:
                    raise SystemExit(f"{path}: {rule.errors}")
            queries = backend.convert(collection)
            if len(queries) != 1 or not queries[0]:
                raise SystemExit(f"{path}: no query")
            print(path.rsplit("/", 1)[-1] + "\\t" + queries[0])
        """
        return Command.run("/usr/bin/env", ["python3", "-c", script, dir], stdin: nil, cwd: dir)
    }

    @Test func everyRuleConvertsWithPySigma() throws {
        let policy = try PolicyLoader.load(path: RepositoryPaths.examples + "/policy.yaml")
        let (dir, rules) = Self.export(policy: policy)
        let result = Self.convert(dir.path)
        #expect(result.status == 0, "pySigma: \(result.stderr)")
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count == rules.count)
        let queries = Dictionary(uniqueKeysWithValues: lines.map { line in
            let parts = line.split(separator: "\t", maxSplits: 1)
            return (String(parts[0]), parts.count > 1 ? String(parts[1]) : "")
        })
        // The policy's approved destinations are allow-list filters.
        #expect(queries["mirrorwatch_aws_traffic_mirroring_session_unapproved_target.yml"]?.contains("NOT") == true)
        #expect(queries["mirrorwatch_aws_traffic_mirroring_session_unapproved_target.yml"]?.contains("tmt-0sensor0000000001") == true)
        #expect(queries["mirrorwatch_aws_traffic_mirroring_target_unapproved.yml"]?.contains("ndr-sensor-nlb") == true)
        #expect(queries["mirrorwatch_gcp_packet_mirroring_unapproved_collector.yml"]?.contains("forwardingRules/ndr-collector") == true)
        #expect(queries["mirrorwatch_gcp_packet_mirroring_unapproved_collector.yml"]?.contains("protoPayload.request.collectorIlb.url=*") == true,
                "only the entry that carries the request counts (the operation's last entry has none)")
        #expect(queries["mirrorwatch_azure_virtual_network_tap_unapproved_destination.yml"]?.contains("nic-ndr-sensor") == true)
        #expect(queries["mirrorwatch_cisco_monitor_session_configured.yml"]?.contains("NOT") == false, "a collector range cannot be a keyword allow-list")
        #expect(queries["mirrorwatch_arista_monitor_session_configured.yml"]?.contains("destination ethernet") == true, "EOS local SPAN")
        #expect(queries["mirrorwatch_network_logging_disabled.yml"]?.contains("no notify syslog") == true, "the engine's command list")
        // Renumbering and truncation need the field to be there; a GWLB endpoint by its type.
        #expect(queries["mirrorwatch_aws_traffic_mirroring_session_reordered_or_truncated.yml"]?.contains("requestParameters.ModifyTrafficMirrorSessionRequest.PacketLength=*") == true)
        #expect(queries["mirrorwatch_aws_gateway_load_balancer_endpoint_created.yml"]?.contains("GatewayLoadBalancer") == true)
        // Every mirroring write of AWS is in the write rule; GCP matches any method spelling by suffix.
        for operation in AWSMirrorOperations.writes.keys { #expect(queries["mirrorwatch_aws_traffic_mirroring_write.yml"]?.contains(operation) == true) }
        #expect(queries["mirrorwatch_gcp_packet_mirroring_write.yml"]?.contains("*packetMirrorings.insert") == true)
        #expect(queries["mirrorwatch_azure_virtual_network_tap_write.yml"]?.contains("MICROSOFT.NETWORK/VIRTUALNETWORKTAPS/WRITE") == true)
    }

    @Test func rulesFollowTheSpecificationAndKeepTheirIds() throws {
        let (_, rules) = Self.export(policy: Policy())
        #expect(Set(rules.map(\.id)).count == rules.count)
        #expect(SigmaExport.rules(policy: Policy()).map(\.id) == rules.map(\.id), "ids are stable")
        let uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/
        for rule in rules {
            #expect(rule.id.wholeMatch(of: uuid) != nil, "\(rule.id) is a version-5 UUID")
            let yaml = rule.yaml(date: "2026-11-29")
            for key in ["title:", "id:", "status:", "description:", "references:", "tags:", "logsource:", "detection:", "falsepositives:", "level:"] {
                #expect(yaml.contains("\n" + key) || yaml.hasPrefix(key), "\(rule.name) has \(key)")
            }
            #expect(yaml.contains("\n    condition: "), "the condition sits under detection")
            if rule.mirrorwatchRule == RuleID.loggingTampered {
                #expect(yaml.contains("- attack.defense-evasion\n") && yaml.contains("- attack.t1562."), "\(rule.name)")
            } else {
                #expect(yaml.contains("- attack.exfiltration\n") && yaml.contains("- attack.t1020.001\n"), "\(rule.name)")
            }
        }
        // Without approved destinations there is nothing to allow: the unapproved rules match every such event.
        #expect(rules.first { $0.name == "mirrorwatch_aws_traffic_mirroring_session_unapproved_target" }?.condition == "selection")
        let (dir, _) = Self.export(policy: Policy())
        #expect(Self.convert(dir.path).status == 0)
    }

    @Test func singleCollectorsAreAnchoredKeywords() throws {
        let policyDir = TemporaryDirectory()
        let path = policyDir.write("policy.yaml", "version: 1\napproved_destinations:\n  - {name: collector, ip: 10.50.0.1/32, owner: netsec, reason: ERSPAN}\n")
        let rule = try #require(SigmaExport.rules(policy: try PolicyLoader.load(path: path)).first { $0.name == "mirrorwatch_cisco_monitor_session_configured" })
        let yaml = rule.yaml(date: "2026-11-29")
        #expect(yaml.contains("'destination ip 10.50.0.1 '") && yaml.contains("'destination ip 10.50.0.1 ;'"), "a trailing space keeps 10.50.0.100 out")
        #expect(rule.condition.contains("not filter_approved"))
    }

    @Test func cliWritesTheRules() throws {
        let dir = TemporaryDirectory()
        let result = Command.run(RepositoryPaths.executable, ["rules", "--sigma", dir.path + "/sigma", "--policy", "examples/policy.yaml"], stdin: nil, cwd: RepositoryPaths.root)
        #expect(result.status == 0)
        #expect(result.stderr.contains("wrote 18 Sigma rules"))
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path + "/sigma")
        #expect(files.count == 18 && files.allSatisfy { $0.hasSuffix(".yml") })
        let listing = Command.run(RepositoryPaths.executable, ["rules"], stdin: nil, cwd: RepositoryPaths.root)
        #expect(listing.stdout.contains("cannot see:") && listing.stdout.contains("platforms: aws, gcp, azure"))
    }
}
