import Foundation
import MirrorwatchModel
import MirrorwatchPolicy
@testable import MirrorwatchContext
import Testing

/// The client family of a user agent, which tells a new tool from a known one.
@Suite struct ClientFamilyTests {
    @Test(arguments: [
        ("aws-cli/2.18.4 md/awscrt#0.22.0 ua/2.0 os/linux#6.1", "aws-cli"),
        ("Boto3/1.35.0 md/Botocore#1.35.0", "boto3"),
        ("Mozilla/5.0 (X11; Linux x86_64)", "mozilla"),
        ("console.amazonaws.com", "console.amazonaws.com"),
        ("  /terraform-provider-aws/5.0", "terraform-provider-aws"),
        ("// ", "// "),
    ])
    func theFirstWordIsTheFamily(agent: String, family: String) {
        #expect(IdentityResolver.client(agent) == family)
    }

    @Test func noAgentNoFamily() {
        #expect(IdentityResolver.client(nil) == nil)
        #expect(IdentityResolver.client("") == nil)
    }
}

/// An identity's history (the addresses and clients it used before a change) comes from its own
/// sign-ins and role assumptions, whatever the case of its name, and from nothing later or anyone else.
@Suite struct IdentityHistoryTests {
    static let t = Date(timeIntervalSince1970: 1_793_000_000)

    static func event(_ principal: String, _ address: String, _ agent: String, at offset: TimeInterval, kind: AuthEvent.Kind = .assumeRole) -> AuthEvent {
        AuthEvent(kind: kind, operation: kind == .signIn ? "ConsoleLogin" : "AssumeRole", platform: .aws, scope: Scope(account: "111122223333"),
                  time: t.addingTimeInterval(offset), principal: principal, issuedIdentity: kind == .signIn ? principal : nil,
                  sourceIP: address, userAgent: agent, evidence: Evidence(input: "trail.json", record: Int(offset)))
    }

    static func change(_ address: String, _ agent: String) -> MirrorChange {
        MirrorChange(platform: .aws, scope: Scope(account: "111122223333", region: "us-east-1"), time: t,
                     actor: Actor(name: "arn:aws:iam::111122223333:user/alice", type: "IAMUser", sourceIP: address, userAgent: agent),
                     operation: "CreateTrafficMirrorSession", action: .create, outcome: Outcome(succeeded: true), resourceKind: .session,
                     resourceId: "tms-1", spec: MirrorSpec(), evidence: Evidence(input: "trail.json", record: 0))
    }

    static var events: [[AuthEvent]] {
        [[event("arn:aws:iam::111122223333:user/alice", "198.51.100.7", "aws-cli/2.18.4", at: -7200),
          event("arn:aws:iam::111122223333:user/bob", "203.0.113.9", "Boto3/1.35.0", at: -10800)],
         [event("ARN:AWS:IAM::111122223333:USER/ALICE", "198.51.100.8", "Mozilla/5.0", at: -3600, kind: .signIn),
          event("arn:aws:iam::111122223333:user/alice-admin", "203.0.113.10", "terraform/1.9", at: -1800),
          event("arn:aws:iam::111122223333:user/alice", "203.0.113.50", "Terraform/1.9", at: 3600)]]
    }

    func flags(_ change: MirrorChange) -> [ActorFlag] {
        IdentityResolver(authEventsByInput: Self.events, changes: [change], policy: Policy()).context(for: change).flags
    }

    @Test func newAddressAndClientAgainstTheIdentitysOwnEarlierEvents() {
        // Bob's address and client, a longer name's, and Alice's own later ones are not hers before the change.
        #expect(flags(Self.change("203.0.113.9", "Boto3/1.35.0")) == [.newSourceIP, .newUserAgent])
        #expect(flags(Self.change("203.0.113.10", "terraform/1.9")) == [.newSourceIP, .newUserAgent])
        // Her sign-in (her name in capitals) and her role assumption count.
        #expect(flags(Self.change("198.51.100.8", "mozilla/5.0 (X11)")) == [])
        #expect(flags(Self.change("198.51.100.7", "aws-cli/2.19.0")) == [])
        #expect(flags(Self.change("198.51.100.7", "curl/8.0")) == [.newUserAgent])
    }
}

/// Tools are recognized from how a call was made and from what a change says of itself, ignoring
/// case the same way in every locale.
@Suite struct KnownToolsTests {
    func change(invokedBy: String? = nil, agent: String? = nil, description: String? = nil, tags: [String: String] = [:]) -> MirrorChange {
        var spec = MirrorSpec()
        spec.description = description
        spec.tags = tags
        return MirrorChange(platform: .aws, scope: Scope(account: "111122223333"), time: Date(timeIntervalSince1970: 1_793_000_000),
                            actor: Actor(name: "arn:aws:sts::111122223333:assumed-role/Ops/x", userAgent: agent, invokedBy: invokedBy),
                            operation: "CreateTrafficMirrorSession", action: .create, outcome: Outcome(succeeded: true), resourceKind: .session,
                            resourceId: "tms-1", spec: spec, evidence: Evidence(input: "trail.json"))
    }

    @Test func callsAndClaimsInAnyCase() {
        let stack = KnownTools.recognize(change(invokedBy: "CloudFormation.AmazonAWS.com"))
        #expect(stack?.name == "AWS CloudFormation" && stack?.claimOnly == false)
        let terraform = KnownTools.recognize(change(agent: "APN/1.0 HASHICORP/1.0 Terraform/1.9.0"))
        #expect(terraform?.name == "Terraform" && terraform?.claimOnly == true, "a user agent is the caller's claim")
        #expect(KnownTools.recognize(change(description: "Feeds the VECTRA sensors"))?.name == "Vectra sensor automation")
        #expect(KnownTools.recognize(change(tags: ["Owner": "Security Onion team"]))?.name == "Security Onion sensor automation")
        #expect(KnownTools.recognize(change(tags: ["aws:cloudformation:stack-name": "ndr"]))?.claimOnly == false)
        #expect(KnownTools.recognize(change(agent: "aws-cli/2.18.4", description: "temporary capture")) == nil)
        // Case is folded the same whatever the locale: a dotted capital I is not an ASCII i.
        #expect(KnownTools.recognize(change(description: "vectra-İntegration"))?.name == "Vectra sensor automation")
        #expect(KnownTools.recognize(change(agent: "TERRAFORM/1.9"))?.name == "Terraform")
    }
}
