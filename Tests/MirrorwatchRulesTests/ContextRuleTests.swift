import Foundation
import Mirrorwatch
import MirrorwatchTestSupport
import Testing


/// CloudTrail sign-in and STS records, as AWS writes them.
enum STS {
    static func assumeRole(by caller: [String: Any], role: String, session: String, key: String, at time: String, ip: String = "198.51.100.9") -> [String: Any] {
        ["eventVersion": "1.09", "eventTime": time, "eventSource": "sts.amazonaws.com", "eventName": "AssumeRole", "awsRegion": "us-east-1",
         "sourceIPAddress": ip, "userAgent": "Boto3/1.35.60", "userIdentity": caller, "recipientAccountId": CT.account, "eventID": "sts-\(time)",
         "requestParameters": ["roleArn": "arn:aws:iam::\(CT.account):role/\(role)", "roleSessionName": session],
         "responseElements": ["credentials": ["accessKeyId": key],
                              "assumedRoleUser": ["arn": "arn:aws:sts::\(CT.account):assumed-role/\(role)/\(session)"]]]
    }

    /// A SAML federation sign-in (as an IdP such as Okta makes it): AWS names the session after
    /// the assertion's subject, which the caller cannot choose.
    static func samlSignIn(_ subject: String, role: String, at time: String, ip: String = "198.51.100.7") -> [String: Any] {
        CT.samlSignIn(subject, role: role, at: time, ip: ip)
    }

    static func consoleLogin(_ who: [String: Any], mfa: Bool, at time: String, ip: String = "203.0.113.40") -> [String: Any] {
        ["eventVersion": "1.09", "eventTime": time, "eventSource": "signin.amazonaws.com", "eventName": "ConsoleLogin", "awsRegion": "us-east-1",
         "sourceIPAddress": ip, "userAgent": "Mozilla/5.0", "userIdentity": who, "recipientAccountId": CT.account, "eventID": "login-\(time)",
         "responseElements": ["ConsoleLogin": "Success"], "additionalEventData": ["MFAUsed": mfa ? "Yes" : "No"]]
    }

    /// A role session identity that presents `key`.
    static func session(_ role: String, _ name: String, key: String, mfa: Bool = false) -> [String: Any] {
        var identity = CT.role(role, session: name, mfa: mfa)
        identity["accessKeyId"] = key
        return identity
    }
}

@Suite struct IdentityContextTests {
    @Test func accessKeyLeadsFromTheRoleSessionBackToTheCallerAndFirstSeenIsFlagged() async throws {
        let ci = CT.user("svc-ci")
        let deploy = STS.session("DeployRole", "build-1", key: "ASIADEPLOY1")
        var records = Chain.setup()  // the admin's approved rollout, 09:00-09:03
        records.append(STS.assumeRole(by: ci, role: "DeployRole", session: "build-1", key: "ASIADEPLOY1", at: "2026-11-03T14:28:40Z", ip: "185.220.101.47"))
        records.append(CT.createSession("tms-evil", eni: "eni-pci", target: "tmt-evil", filter: "tmf-tms-1", at: "2026-11-03T14:33:00Z", by: deploy))
        let result = try await Scenario(records).run()
        let finding = try #require(result.findings(RuleID.unapprovedDestination).first { $0.change?.resource == "tms-evil" })
        #expect(finding.context.identityChain.first?.hasPrefix("arn:aws:iam::111122223333:user/svc-ci (assumed DeployRole with AssumeRole") == true)
        #expect(finding.context.flags.contains("first-seen-actor"))
        let first = try #require(result.findings(RuleID.observed).first { $0.change?.resource == "tms-1" })
        #expect(!first.context.flags.contains("first-seen-actor"), "the first identity in the inputs has no history to be new against")
    }

    @Test func consoleSignInWithoutMFARaisesAnUnapprovedChange() async throws {
        let bob = CT.user("bob")
        var records = Chain.setup()
        records.append(STS.consoleLogin(bob, mfa: false, at: "2026-11-04T02:31:00Z"))
        records.append(CT.createTarget("tmt-x", eni: "eni-x", at: "2026-11-04T02:40:00Z", by: bob))
        records.append(CT.createSession("tms-x", eni: "eni-web2", target: "tmt-x", filter: "tmf-tms-1", at: "2026-11-04T02:41:00Z", by: bob))
        let result = try await Scenario(records).run()
        let finding = try #require(result.findings(RuleID.unapprovedDestination).first { $0.change?.resource == "tms-x" })
        #expect(finding.context.mfa == false && finding.context.flags.contains("no-mfa"))
        #expect(finding.severity == .critical, "high raised one step by a risky actor")
        #expect(finding.why.contains("Raised one step"))
    }

    @Test func newSourceAddressForAKnownActor() async throws {
        var late = CT.modifySession("tms-1", target: "tmt-ok", at: "2026-11-05T02:00:00Z")
        late["sourceIPAddress"] = "185.220.101.47"
        // Alice signs in again from her usual address; the session then calls from another one.
        let signIn = STS.samlSignIn("alice@example.com", role: "NetworkAdmin", at: "2026-11-05T01:55:00Z")
        let result = try await Scenario(Chain.setup() + [signIn, late]).run()
        let finding = try #require(result.findings.first { $0.change?.operation == "ModifyTrafficMirrorSession" })
        #expect(finding.context.flags.contains("new-source-ip"))
        #expect(!finding.context.flags.contains("first-seen-actor"))
    }

    @Test func rootAndBreakGlassAccountsAreFlagged() async throws {
        let root: [String: Any] = ["type": "Root", "principalId": CT.account, "arn": "arn:aws:iam::\(CT.account):root", "accountId": CT.account]
        let glass = CT.user("emergency-admin")
        var scenario = Scenario([CT.createTarget("tmt-r", eni: "eni-r", by: root),
                                 CT.createTarget("tmt-g", eni: "eni-g", at: "2026-11-03T09:30:00Z", by: glass)])
        scenario.policy += "break_glass_identities: [\"arn:aws:iam::111122223333:user/emergency-*\"]\n"
        let result = try await scenario.run()
        #expect(result.findings.first { $0.change?.resource == "tmt-r" }?.context.flags.contains("root") == true)
        #expect(result.findings.first { $0.change?.resource == "tmt-g" }?.context.flags.contains("break-glass") == true)
    }

    @Test func gcpImpersonationNamesThePerson() async throws {
        var entries = GCP.insert("pm-x", collector: GCP.path("forwardingRules", "c"), subnets: [GCP.path("subnetworks", "web")],
                                 principal: "deployer@shop-prod-2231.iam.gserviceaccount.com")
        for i in entries.indices {
            var proto = entries[i]["protoPayload"] as! [String: Any]
            var auth = proto["authenticationInfo"] as! [String: Any]
            auth["serviceAccountDelegationInfo"] = [["firstPartyPrincipal": ["principalEmail": "mallory@example.com"]]]
            proto["authenticationInfo"] = auth
            entries[i]["protoPayload"] = proto
        }
        var scenario = Scenario()
        scenario.files["gcp/audit.json"] = entries.map { CT.json($0) }.joined(separator: "\n") + "\n"
        let result = try await scenario.runAll()
        let finding = try #require(result.findings.first { $0.platform == .gcp && $0.change != nil })
        #expect(finding.context.identityChain.first?.hasPrefix("mallory@example.com (impersonated deployer@") == true)
    }
}

@Suite struct KnownToolTests {
    @Test func aRecognizedToolToAnApprovedDestinationLowersThePaperwork() async throws {
        // CloudFormation calls on the stack role's behalf: AWS sets invokedBy, the caller cannot.
        var role = CT.role("StackRole", session: "AWSCloudFormation")
        role["invokedBy"] = "cloudformation.amazonaws.com"
        var session = CT.createSession("tms-ssm", eni: "eni-web", target: "tmt-ok", filter: "tmf-tms-1", at: "2026-11-05T09:03:00Z", by: role)
        session["sourceIPAddress"] = "cloudformation.amazonaws.com"
        // The same call with only a user agent that names a tool is a claim: a first-seen actor keeps its severity.
        var claimed = CT.createSession("tms-ua", eni: "eni-web", target: "tmt-ok", filter: "tmf-tms-1", at: "2026-11-05T09:04:00Z",
                                       by: CT.role("OtherRole", session: "x"))
        claimed["userAgent"] = "Terraform/1.9.8"
        let result = try await Scenario(Chain.setup() + [session, claimed]).run()
        let noTicket = try #require(result.findings(RuleID.noTicket).first { $0.change?.resource == "tms-ssm" })
        #expect(noTicket.severity == .low && noTicket.why.contains("AWS CloudFormation"))
        let claim = try #require(result.findings(RuleID.noTicket).first { $0.change?.resource == "tms-ua" })
        #expect(claim.severity == .medium && claim.context.flags.contains("first-seen-actor"))
        #expect(noTicket.context.flags.contains("known-tool"))
        #expect(result.findings(RuleID.unapprovedDestination).first { $0.change?.resource == "tms-ssm" } == nil)
    }

    /// A user agent is written by the caller: naming a tool in it excuses nothing, even for an
    /// actor seen before with nothing else against it (it used to lower the finding to low).
    @Test func aToolNamedOnlyByTheCallerLowersNothing() async throws {
        func claimed(_ id: String, at time: String) -> [String: Any] {
            var call = CT.createSession(id, eni: "eni-web", target: "tmt-ok", filter: "tmf-tms-1", at: time, by: CT.role("OtherRole", session: "x"))
            call["userAgent"] = "Terraform/1.9.8"
            return call
        }
        // Seen days before, from the same address and client: not first seen, nothing new.
        let result = try await Scenario(Chain.setup() + [claimed("tms-earlier", at: "2026-11-01T09:00:00Z"), claimed("tms-ua", at: "2026-11-05T09:04:00Z")]).run()
        for rule in [RuleID.noTicket, RuleID.unauthorizedActor] {
            let finding = try #require(result.findings(rule).first { $0.change?.resource == "tms-ua" }, "\(rule)")
            #expect(finding.context.flags.contains("claimed-tool") && !finding.context.flags.contains("known-tool"), "\(rule)")
            #expect(!finding.context.flags.contains("first-seen-actor"), "\(rule): the claim alone is tested")
            #expect(finding.severity >= .medium && !finding.why.contains("Lowered"), "\(rule): \(finding.severity) \(finding.why)")
            #expect(finding.why.contains("the caller writes that itself"))
        }
    }

    @Test func aToolsNameOnAnUnapprovedDestinationIsImitation() async throws {
        var records = [CT.createTarget("tmt-evil", eni: "eni-evil")]
        records.append(CT.mirror("CreateTrafficMirrorSession", at: "2026-11-03T09:03:00Z", by: CT.user("mallory"),
                                 request: ["NetworkInterfaceId": "eni-web", "TrafficMirrorTargetId": "tmt-evil", "Description": "Vectra sensor feed"],
                                 response: ["trafficMirrorSession": ["trafficMirrorSessionId": "tms-v", "networkInterfaceId": "eni-web",
                                                                     "trafficMirrorTargetId": "tmt-evil", "description": "Vectra sensor feed"]]))
        let result = try await Scenario(records).run()
        let finding = try #require(result.findings(RuleID.unapprovedDestination).first)
        #expect(finding.severity == .critical)
        #expect(finding.context.flags.contains("tool-imitation"))
        #expect(finding.why.contains("imitation"))
    }
}

@Suite struct FlowRuleTests {
    static let header = "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status\n"

    @Test func anUnapprovedDestinationShippingTrafficOutIsConfirmed() async throws {
        var scenario = Scenario(Chain.setup(session: "tms-d", target: "tmt-dbg"))
        scenario.files["snapshots/eni.json"] = #"{"NetworkInterfaces":[{"NetworkInterfaceId":"eni-sensor-tmt-dbg","PrivateIpAddress":"10.20.99.7","SubnetId":"subnet-dev","OwnerId":"111122223333"}]}"#
        scenario.files["flows/vpc.log"] = Self.header
            + "2 111122223333 eni-sensor-tmt-dbg 10.20.99.7 198.51.100.200 40112 443 6 48000 61000000 1762221600 1762221660 ACCEPT OK\n"
            + "2 111122223333 eni-sensor-tmt-dbg 10.20.99.7 198.51.100.200 40112 443 6 48000 1000 1762221900 1762221960 REJECT OK\n"
        let result = try await scenario.runAll()
        let flow = try #require(result.findings(RuleID.unapprovedFlow).first)
        #expect(flow.severity == .critical && flow.why.contains("61.0 MB"))
        #expect(flow.evidence.first?.line == 2, "the flow log line is the evidence")
        let confirmed = try #require(result.findings(RuleID.unapprovedDestination).first { $0.change?.resource == "tms-d" })
        #expect(confirmed.context.flags.contains("flow-confirmed") && confirmed.severity == .critical)
        #expect(confirmed.evidence.contains { $0.input.hasSuffix("vpc.log") })
    }

    @Test func encapsulationToAnApprovedCollectorIsQuietAndToAnOutsiderIsCritical() async throws {
        var scenario = Scenario()
        scenario.policy = Scenario.basePolicy.replacingOccurrences(of: "approved_destinations:\n", with: "approved_destinations:\n  - {name: collectors, ip: 10.99.1.0/24, owner: netsec, reason: ERSPAN}\n")
        scenario.files["flows/nfdump.csv"] = """
        firstSeen,duration,proto,srcAddr,srcPort,dstAddr,dstPort,packets,bytes,flows
        2026-11-03 10:15:00.000,60.0,47,10.0.0.5,0,10.99.1.10,0,9120,11854080,1
        2026-11-03 10:15:00.000,60.0,47,10.0.0.5,0,203.0.113.50,0,9120,11854080,1
        2026-11-03 10:16:00.000,60.0,17,10.0.0.5,5000,10.40.0.9,4789,10,1000,1
        """
        let result = try await scenario.runAll()
        let flows = result.findings(RuleID.unapprovedFlow)
        #expect(flows.count == 2)
        #expect(flows.first { $0.destination?.endpoint.id == "203.0.113.50" }?.severity == .critical)
        #expect(flows.first { $0.destination?.endpoint.id == "10.40.0.9" }?.severity == .high, "internal but unapproved VXLAN")
        #expect(!flows.contains { $0.destination?.endpoint.id == "10.99.1.10" })
    }
}

@Suite struct CorrelationTests {
    @Test func oneFindingPerChangeWithEveryRuleInIt() async throws {
        let records = Chain.setup(session: "tms-evil", source: "eni-pci", target: "tmt-evil", by: CT.user("mallory"))
        let result = try await Scenario(records).run()
        let perRule = result.findings.filter { $0.change?.resource == "tms-evil" }
        #expect(perRule.count >= 4)
        let correlated = result.correlatedFindings.filter { $0.change?.resource == "tms-evil" }
        #expect(correlated.count == 1)
        let one = try #require(correlated.first)
        #expect(one.severity == perRule.map(\.severity).max())
        #expect(Set(one.context.rules) == Set(perRule.map(\.rule)))
        #expect(one.why.contains("No change ticket") && one.why.contains("Also mirror.change.unauthorized-actor"))
        #expect(result.correlatedFindings.count < result.findings.count)
    }
}

@Suite struct TicketMatchingEdgeTests {
    func scan(ticketStart: String, ticketEnd: String, resources: String, state: String = "Implement", policyExtra: String = "") async throws -> Finding? {
        var scenario = Scenario(Chain.setup())
        scenario.policy += policyExtra
        scenario.ticket("CHG1", state: state, start: ticketStart, end: ticketEnd, resources: resources)
        let result = try await scenario.run()
        return result.findings(RuleID.noTicket).first { $0.change?.resource == "tms-1" }
    }

    @Test func windowEdgesCountAndOneSecondLaterDoesNot() async throws {
        // The session is created at 09:03:00; match_window is 1h.
        #expect(try await scan(ticketStart: "2026-11-03 10:03:00", ticketEnd: "2026-11-03 11:00:00", resources: "tms-1") == nil)
        let late = try #require(try await scan(ticketStart: "2026-11-03 10:03:01", ticketEnd: "2026-11-03 11:00:00", resources: "tms-1"))
        #expect(late.why.contains("does not cover the change"))
    }

    @Test func ticketTimesAreReadInThePolicyTimeZone() async throws {
        // 10:30 in Berlin is 09:30 UTC: inside the window. Read as UTC it would miss by 27 minutes.
        let extra = ""
        var scenario = Scenario(Chain.setup())
        scenario.policy = scenario.policy.replacingOccurrences(of: "match_window: 1h}", with: "match_window: 1h, timezone: Europe/Berlin}") + extra
        scenario.ticket("CHG1", start: "2026-11-03 10:30:00", end: "2026-11-03 12:00:00", resources: "tms-1")
        let result = try await scenario.run()
        #expect(result.findings(RuleID.noTicket).first { $0.change?.resource == "tms-1" } == nil)
    }

    @Test func idsMatchInAnyCaseAndAnAccountCoversItsChanges() async throws {
        #expect(try await scan(ticketStart: "2026-11-03 08:00:00", ticketEnd: "2026-11-03 10:00:00", resources: "TMS-1") == nil)
        #expect(try await scan(ticketStart: "2026-11-03 08:00:00", ticketEnd: "2026-11-03 10:00:00", resources: "111122223333") == nil)
        let other = try #require(try await scan(ticketStart: "2026-11-03 08:00:00", ticketEnd: "2026-11-03 10:00:00", resources: "444455556666"))
        #expect(other.why.contains("no ticket names"))
    }

    @Test func unapprovedStateIsNamedAsTheReason() async throws {
        let finding = try #require(try await scan(ticketStart: "2026-11-03 08:00:00", ticketEnd: "2026-11-03 10:00:00", resources: "tms-1", state: "New"))
        #expect(finding.why.contains("CHG1 is in state 'New', which does not authorize work"))
        #expect(finding.context.ticketNote?.contains("does not authorize work") == true)
    }

    @Test func aMalformedTicketFileIsReportedAndTheScanStillRuns() async throws {
        var scenario = Scenario(Chain.setup())
        scenario.files["tickets/broken.json"] = "{\"result\": [ {\"number\": "
        let result = try await scenario.run()
        #expect(result.issues.contains { $0.input.hasSuffix("broken.json") && $0.reason.contains("malformed JSON") })
        #expect(!result.findings(RuleID.noTicket).isEmpty, "the scan ran on")
    }
}

@Suite struct ExceptionLifecycleTests {
    @Test func exceptionsMatchOnActorAndAccountDowngradeAndStaleOnesAreListed() async throws {
        var scenario = Scenario(Chain.setup(session: "tms-e", target: "tmt-e", by: CT.user("mallory")))
        scenario.policy += """
        exceptions:
          - {id: EXC-A, rule: mirror.change.unauthorized-actor, match: {actor: "arn:aws:iam::111122223333:user/mallory", account: "111122223333"}, owner: o, justification: j, expires: 2027-01-01}
          - {id: EXC-OLD, rule: mirror.destination.unapproved, match: {destination: tmt-e}, owner: o, justification: j, expires: 2026-10-01}
          - {id: EXC-STALE, rule: mirror.filter.broad, match: {resource: tmf-nothing}, owner: o, justification: j, expires: 2027-01-01}

        """
        let result = try await scenario.run()
        let excepted = result.findings(RuleID.unauthorizedActor).filter { $0.exception == "EXC-A" }
        #expect(!excepted.isEmpty && excepted.allSatisfy { $0.severity == .info && $0.originalSeverity != nil })
        #expect(excepted.first?.why.contains("Accepted by exception EXC-A") == true)
        #expect(result.findings(RuleID.unapprovedDestination).allSatisfy { $0.exception == nil && $0.severity >= .high }, "expired: full severity")
        #expect(result.findings(RuleID.expiredException).first?.subject == "EXC-OLD")
        #expect(result.findings(RuleID.expiredException).first?.exception == nil, "raised, not downgraded: never suppressed")
        #expect(result.unusedExceptions.map(\.id) == ["EXC-STALE"])
        #expect(InputSummary.render(result).contains("EXC-STALE"))
    }
}
