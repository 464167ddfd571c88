import Foundation
import MirrorwatchModel
import MirrorwatchPolicy
import MirrorwatchTestSupport
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

/// The resolver indexes only the issuers and sign-ins its changes ask for, level by level along
/// their chains; it gives the contexts a resolver without indexes gives (every issuer and sign-in
/// found by a pass over the events), on generated events: keys issued and reissued, sessions named
/// in any case, chains several steps long, failed calls, devices, events across inputs.
@Suite struct IssuanceIndexTests {
    static let t = Date(timeIntervalSince1970: 1_793_000_000)

    func render(_ context: ActorContext) -> String {
        let chain = context.chain.map { "\($0.identity) | \($0.how) | \($0.evidence?.description ?? "-") | \($0.verified)" }
        return "\(chain) mfa \(String(describing: context.mfa)) \(context.mfaBasis ?? "-") \(context.flags) \(context.evidence.map(\.description)) "
            + "\(String(describing: context.historySince))"
    }

    @Test func indexedContextsAreTheUnindexedOnes() {
        var random = SeededGenerator(state: 11)
        func pick<T>(_ items: [T]) -> T { items[Int(random.next() % UInt64(items.count))] }
        let keys = (0..<8).map { String(format: "ASIAEXAMPLE%09d", $0) } + ["AKIAEXAMPLE000000001"]
        let people = ["arn:aws:iam::111122223333:user/alice", "arn:aws:iam::111122223333:user/bob", "arn:aws:iam::111122223333:root"]
        let sessions = ["arn:aws:sts::111122223333:assumed-role/Deploy/s1", "arn:aws:sts::111122223333:assumed-role/Breakglass/s2",
                        "arn:aws:sts::111122223333:assumed-role/Net/s3"]
        func cased(_ text: String) -> String { random.next() % 3 == 0 ? text.uppercased() : text }
        var chains = 0, signedIn = 0
        for round in 0..<30 {
            let inputs = (0..<Int(1 + random.next() % 3)).map { input in
                (0..<Int(random.next() % 40)).map { i -> AuthEvent in
                    let kind: AuthEvent.Kind = random.next() % 4 == 0 ? .signIn : .assumeRole
                    let principal = random.next() % 2 == 0 ? pick(people) : cased(pick(sessions))
                    return AuthEvent(kind: kind, operation: kind == .signIn ? "ConsoleLogin" : "AssumeRole", platform: .aws,
                                     scope: Scope(account: "111122223333", device: random.next() % 5 == 0 ? "core-sw1" : nil),
                                     time: Self.t.addingTimeInterval(Double(random.next() % 20_000) - 15_000),
                                     principal: kind == .signIn ? cased(pick(people)) : principal,
                                     issuedIdentity: kind == .signIn ? nil : cased(pick(sessions)),
                                     issuedAccessKey: random.next() % 5 == 0 ? nil : pick(keys),
                                     callerAccessKey: random.next() % 3 == 0 ? nil : pick(keys),
                                     sourceIP: "198.51.100.\(random.next() % 4)", userAgent: pick(["aws-cli/2", "Boto3/1", "console"]),
                                     mfa: random.next() % 3 == 0 ? nil : random.next() % 2 == 0,
                                     succeeded: random.next() % 6 != 0, evidence: Evidence(input: "in\(input)", record: i))
                }
            }
            let changes = (0..<Int(1 + random.next() % 6)).map { i in
                MirrorChange(platform: .aws, scope: Scope(account: "111122223333", region: "us-east-1", device: random.next() % 4 == 0 ? "core-sw1" : nil),
                             time: Self.t.addingTimeInterval(Double(random.next() % 4_000)),
                             actor: Actor(name: cased(pick(sessions + people)), type: pick(["AssumedRole", "IAMUser", "Root"]), sourceIP: "198.51.100.9",
                                          userAgent: "aws-cli/2", mfa: random.next() % 2 == 0 ? nil : false,
                                          accessKeyId: random.next() % 4 == 0 ? nil : pick(keys)),
                             operation: "CreateTrafficMirrorSession", action: .create, outcome: Outcome(succeeded: true), resourceKind: .session,
                             resourceId: "tms-\(i)", spec: MirrorSpec(), evidence: Evidence(input: "trail.json", record: i))
            }
            let indexed = IdentityResolver(authEventsByInput: inputs, changes: changes, policy: Policy(), credentials: [:], indexing: true)
            let scanned = IdentityResolver(authEventsByInput: inputs, changes: changes, policy: Policy(), credentials: [:], indexing: false)
            for change in changes {
                #expect(render(indexed.context(for: change)) == render(scanned.context(for: change)), "round \(round)")
            }
            // A change the resolver was not built for is answered from the events too (its first-seen
            // judgement is against the changes given, none here).
            let other = changes[0]
            #expect(render(IdentityResolver(authEventsByInput: inputs, changes: [], policy: Policy()).context(for: other))
                == render(IdentityResolver(authEventsByInput: inputs, changes: [], policy: Policy(), credentials: [:], indexing: false).context(for: other)))
            // Some rounds have chains of two steps or more, and sign-ins found.
            for change in changes {
                let context = indexed.context(for: change)
                if context.chain.count >= 2 { chains += 1 }
                if context.mfaBasis?.hasPrefix("ConsoleLogin") == true || context.chain.contains(where: { $0.how.hasPrefix("logged in") }) { signedIn += 1 }
            }
        }
        #expect(chains > 5, "chains of two steps or more: \(chains)")
        #expect(signedIn > 5, "contexts with a sign-in: \(signedIn)")
    }
}
