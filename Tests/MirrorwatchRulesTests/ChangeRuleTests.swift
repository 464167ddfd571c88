import Foundation
import Mirrorwatch
import MirrorwatchTestSupport
import Testing

@Suite struct ChangeRuleTests {
    @Test func everyChangeIsObserved() async throws {
        let result = try await Scenario(Chain.setup()).run()
        #expect(result.findings(RuleID.observed).map(\.change?.operation) ==
                ["CreateTrafficMirrorTarget", "CreateTrafficMirrorFilter", "CreateTrafficMirrorFilterRule", "CreateTrafficMirrorSession"])
        #expect(result.findings(RuleID.observed).allSatisfy { $0.severity == .info && $0.attack == ["T1020.001"] })
    }

    @Test func unauthorizedActorFiresAndAuthorizedRoleSessionStaysQuiet() async throws {
        let bad = try await Scenario(Chain.setup(by: Chain.intruder)).run()
        let finding = try #require(bad.findings(RuleID.unauthorizedActor).first)
        #expect(finding.severity == .medium)
        #expect(finding.actor?.name == "arn:aws:iam::111122223333:user/mallory")
        #expect(bad.findings(RuleID.unauthorizedActor).count == 4)
        let good = try await Scenario(Chain.setup(by: CT.role("NetworkAdmin", session: "bob-session"))).run()
        #expect(good.findings(RuleID.unauthorizedActor).isEmpty)
    }

    @Test func unauthorizedActorToUnapprovedDestinationIsHigh() async throws {
        let result = try await Scenario(Chain.setup(target: "tmt-rogue", by: Chain.intruder)).run()
        #expect(result.findings(RuleID.unauthorizedActor).last?.severity == .high)
    }

    @Test func noTicketFiresWithoutTicketAndStaysQuietWithOne() async throws {
        let without = try await Scenario(Chain.setup()).run()
        #expect(without.findings(RuleID.noTicket).count == 4)
        #expect(without.findings(RuleID.noTicket).allSatisfy { $0.severity == .low })

        var with = Scenario(Chain.setup())
        with.ticket("CHG1", resources: "eni-web")
        #expect(try await with.run().findings(RuleID.noTicket).count == 3, "session names eni-web; target and filter creation are not named")

        with = Scenario(Chain.setup())
        with.ticket("CHG2", resources: "eni-web, tmt-ok, tmf-tms-1")
        #expect(try await with.run().findings(RuleID.noTicket).isEmpty)
    }

    /// A role session name is chosen by whoever assumes the role: naming it after the person a
    /// ticket is for proves nothing (it used to clear no-ticket). Alice's own SAML sign-in does.
    @Test func aSessionNamedAfterTheTicketsPersonIsNotThatPerson() async throws {
        let ci = CT.role("DeployRole", session: "alice@example.com")
        let policy = Scenario.basePolicy.replacingOccurrences(of: #"authorized_identities: ["arn:aws:iam::111122223333:role/NetworkAdmin"]"#,
                                                              with: #"authorized_identities: ["arn:aws:iam::111122223333:role/NetworkAdmin", "arn:aws:iam::111122223333:role/DeployRole"]"#)
        var spoofed = Scenario(Chain.setup(by: ci), policy: policy)
        spoofed.ticket("CHG1", resources: "tms-1, tmt-ok, tmf-tms-1")
        let noTicket = try await spoofed.run().findings(RuleID.noTicket)
        #expect(noTicket.count == 4, "no sign-in shows who the session is")
        #expect(noTicket.first?.why.contains("CHG1 is for alice@example.com; the role session") == true)
        #expect(noTicket.first?.why.contains("chooses its session name") == true)
        // The same calls after Alice's SAML sign-in to that role: the ticket covers them.
        var proven = Scenario([STS.samlSignIn("alice@example.com", role: "DeployRole", at: "2026-11-03T08:40:00Z")] + Chain.setup(by: ci), policy: policy)
        proven.ticket("CHG1", resources: "tms-1, tmt-ok, tmf-tms-1")
        #expect(try await proven.run().findings(RuleID.noTicket).isEmpty)
    }

    /// A ticket found only through what is mirrored (the source ENI or instance), the device or the
    /// account must say it is about mirroring: a patching ticket for the instance covers no mirroring of it.
    @Test func aTicketForOtherWorkOnTheSourceCoversNoMirroring() async throws {
        var patching = Scenario(Chain.setup())
        patching.ticket("CHG9", resources: "eni-web", summary: "Patch web-1 kernel")
        let noTicket = try await patching.run().findings(RuleID.noTicket)
        #expect(noTicket.count == 4)
        #expect(noTicket.contains { $0.why.contains("does not say it is about mirroring") })
        var account = Scenario(Chain.setup())
        account.ticket("CHG8", resources: "111122223333", summary: "Quarterly account clean-up")
        #expect(try await account.run().findings(RuleID.noTicket).count == 4)
        // Naming the session itself needs no such words.
        var named = Scenario(Chain.setup())
        named.ticket("CHG7", resources: "tms-1, tmt-ok, tmf-tms-1", summary: "Change 42")
        #expect(try await named.run().findings(RuleID.noTicket).isEmpty)
    }

    @Test func ticketThatIsNotApprovedOrOutsideItsWindowDoesNotCount() async throws {
        var unapproved = Scenario(Chain.setup())
        unapproved.ticket("CHG3", state: "New", resources: "eni-web, tmt-ok, tmf-tms-1")
        let notApproved = try await unapproved.run().findings(RuleID.noTicket)
        #expect(notApproved.count == 4)
        #expect(notApproved.first?.why.contains("CHG3") == true)

        var late = Scenario(Chain.setup())
        late.ticket("CHG4", start: "2026-11-04 08:30:00", end: "2026-11-04 10:00:00", resources: "eni-web, tmt-ok, tmf-tms-1")
        #expect(try await late.run().findings(RuleID.noTicket).count == 4)

        var widened = Scenario(Chain.setup())  // changes at 09:00-09:03, ticket ends 08:15, match_window 1h
        widened.ticket("CHG5", start: "2026-11-03 07:00:00", end: "2026-11-03 08:15:00", resources: "eni-web, tmt-ok, tmf-tms-1")
        #expect(try await widened.run().findings(RuleID.noTicket).isEmpty)
    }

    @Test func noTicketIsQuietWhenNotRequired() async throws {
        let policy = Scenario.basePolicy.replacingOccurrences(of: "require_ticket: true", with: "require_ticket: false")
        #expect(try await Scenario(Chain.setup(), policy: policy).run().findings(RuleID.noTicket).isEmpty)
    }

    @Test func deniedAndDryRunCallsAreProbing() async throws {
        let records = [
            CT.mirror("CreateTrafficMirrorSession", at: "2026-11-03T09:00:00Z", by: Chain.intruder,
                      request: ["NetworkInterfaceId": "eni-pci", "TrafficMirrorTargetId": "tmt-x", "TrafficMirrorFilterId": "tmf-x"],
                      error: ("Client.UnauthorizedOperation", "You are not authorized to perform this operation.")),
            CT.mirror("CreateTrafficMirrorTarget", at: "2026-11-03T09:01:00Z", by: Chain.intruder,
                      request: ["NetworkInterfaceId": "eni-x"], error: ("Client.DryRunOperation", "Request would have succeeded, but DryRun flag is set.")),
            CT.mirror("CreateTrafficMirrorSession", at: "2026-11-03T09:02:00Z", request: ["NetworkInterfaceId": "eni-x"],
                      error: ("Client.NetworkInterfaceNotSupported", "not supported")),
        ]
        let result = try await Scenario(records).run()
        let denied = result.findings(RuleID.denied)
        #expect(denied.map(\.severity) == [.medium, .medium, .low])
        #expect(denied[1].title.hasPrefix("Dry run"))
        #expect(denied[0].why.contains("Client.UnauthorizedOperation"))
        #expect(result.findings(RuleID.unapprovedDestination).isEmpty, "failed calls change nothing")
        #expect(result.findings(RuleID.noTicket).isEmpty)
        #expect(try await Scenario(Chain.setup()).run().findings(RuleID.denied).isEmpty)
    }

    @Test func createThenDeleteWithinWindowIsTransient() async throws {
        let quick = Chain.setup(target: "tmt-rogue") + [CT.deleteSession("tms-1", at: "2026-11-03T09:20:00Z")]
        let result = try await Scenario(quick).run()
        let finding = try #require(result.findings(RuleID.transient).first)
        #expect(finding.severity == .high)
        #expect(finding.title.contains("17m"))
        #expect(finding.evidence.count == 2, "both the delete and the create are evidence")
        #expect(result.graph.sessions["tms-1"] == nil)

        let slow = Chain.setup() + [CT.deleteSession("tms-1", at: "2026-11-03T12:00:00Z")]
        #expect(try await Scenario(slow).run().findings(RuleID.transient).isEmpty)
    }

    /// Within one file the records keep their order: a session removed and made again in one second
    /// (as a device does with `no monitor session 1` and `monitor session 1 …`) stays live.
    @Test func aDeleteThenCreateInOneFileKeepsItsOrder() async throws {
        let records = Array(Chain.setup().dropLast()) + [
            CT.createSession("tms-1", eni: "eni-web", target: "tmt-ok", filter: "tmf-tms-1", at: "2026-11-03T09:03:00Z", by: Chain.admin),
            CT.deleteSession("tms-1", at: "2026-11-03T09:05:00Z", by: Chain.admin),
            CT.createSession("tms-1", eni: "eni-web2", target: "tmt-ok", filter: "tmf-tms-1", at: "2026-11-03T09:05:00Z", by: Chain.admin),
        ]
        let result = try await Scenario(records).run()
        #expect(result.graph.sessions["tms-1"]?.sources.map(\.id) == ["eni-web2"], "the second session is the live one")
    }

    /// A quick test by one authorized admin to the approved sensor, under a ticket: low, not high.
    /// By someone else, it stays high.
    @Test func aTicketedTestByTheSameAuthorizedAdminIsLow() async throws {
        var test = Scenario(Chain.setup() + [CT.deleteSession("tms-1", at: "2026-11-03T09:20:00Z", by: Chain.admin)])
        test.ticket("CHG1", resources: "tms-1, tmt-ok, tmf-tms-1")
        let low = try #require(try await test.run().findings(RuleID.transient).first)
        #expect(low.severity == .low && low.why.contains("under ticket CHG1"), "\(low.severity) \(low.why)")
        var other = Scenario(Chain.setup() + [CT.deleteSession("tms-1", at: "2026-11-03T09:20:00Z", by: Chain.intruder)])
        other.ticket("CHG1", resources: "tms-1, tmt-ok, tmf-tms-1")
        #expect((try await other.run().findings(RuleID.transient).first?.severity ?? .info) >= .high)
    }

    /// Created and deleted within one second, the two records in different files (the delete's
    /// file first by name): replayed create first, the session is gone and the pair is transient.
    @Test func createAndDeleteInTheSameSecondAcrossFilesReplayInOrder() async throws {
        var scenario = Scenario(Array(Chain.setup(target: "tmt-rogue").dropLast()))
        scenario.files["cloudtrail/a-delete.json"] = CT.s3Object([CT.deleteSession("tms-1", at: "2026-11-03T09:03:00Z")])
        scenario.files["cloudtrail/b-create.json"] = CT.s3Object([CT.createSession("tms-1", eni: "eni-web", target: "tmt-rogue", filter: "tmf-tms-1",
                                                                                   at: "2026-11-03T09:03:00Z", by: Chain.admin)])
        let result = try await scenario.run()
        #expect(result.graph.sessions["tms-1"] == nil, "deleted after it was created")
        #expect(result.findings(RuleID.transient).count == 1)
        #expect(!result.findings.contains { $0.title.hasPrefix("Unexpected live session") })
    }
}
