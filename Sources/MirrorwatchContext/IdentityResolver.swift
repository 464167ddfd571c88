import Foundation
import MirrorwatchJSON
import MirrorwatchModel
import MirrorwatchPolicy

/// Builds the identity context of each change from the sign-ins, credential events and the
/// other changes in the same inputs: who is behind a role session, whether MFA was used, and
/// whether the actor, its address or its client is new.
public struct IdentityResolver: Sendable {
    /// How long temporary credentials or a sign-in can explain later calls (the longest AWS role session).
    public static let sessionLifetime: TimeInterval = 12 * 3600
    /// Changes within this time of an identity's first mirroring change count as "first seen" too.
    public static let firstSeenSpan: TimeInterval = 24 * 3600

    private struct Sighting: Sendable {
        var time: Date
        var address: String?
        var client: String?
    }

    /// The events, found by what they issued.
    private var issuances: IssuanceIndex
    /// Credential report rows by lowercased user ARN.
    private let credentials: [String: CredentialReportEntry]
    private var history: [String: [Sighting]] = [:]
    private var firstChange: [String: Date] = [:]
    private var firstOnPlatform: [Platform: Date] = [:]
    private var breakGlass: [IdentityPattern]

    /// - Parameters:
    ///   - authEvents: sign-ins and credential events from every input.
    ///   - changes: every mirroring change, in time order.
    ///   - policy: for the break-glass identities.
    ///   - credentials: credential report rows by lowercased user ARN.
    public init(authEvents: [AuthEvent], changes: [MirrorChange], policy: Policy, credentials: [String: CredentialReportEntry] = [:]) {
        self.init(authEventsByInput: [authEvents], changes: changes, policy: policy, credentials: credentials)
    }

    /// As `init(authEvents:changes:policy:credentials:)`, with the events in one list per input
    /// (as the readers give them: nothing is copied into one list).
    public init(authEventsByInput: [[AuthEvent]], changes: [MirrorChange], policy: Policy, credentials: [String: CredentialReportEntry] = [:]) {
        self.init(authEventsByInput: authEventsByInput, changes: changes, policy: policy, credentials: credentials, indexing: true)
    }

    /// As `init(authEventsByInput:changes:policy:credentials:)`; without `indexing`, every issuer and
    /// sign-in is found by a pass over the events (what the indexes must agree with).
    init(authEventsByInput: [[AuthEvent]], changes: [MirrorChange], policy: Policy, credentials: [String: CredentialReportEntry], indexing: Bool) {
        breakGlass = policy.breakGlassIdentities
        self.credentials = credentials
        issuances = IssuanceIndex(events: authEventsByInput)
        if indexing {
            // The issuers the changes' chains ask for, level by level (a chain of n steps asks in n
            // rounds, at most five), then the sign-ins their MFA is read from: only these are indexed.
            for _ in 0..<6 {
                let asked = Asked()
                for change in changes {
                    if let actor = change.actor { _ = chain(for: actor, at: change.time, asking: asked) }
                }
                guard !asked.keys.isEmpty || !asked.identities.isEmpty else { break }
                issuances.index(keys: asked.keys, identities: asked.identities)
            }
        }
        let chains = changes.map { change in change.actor.map { chain(for: $0, at: change.time) } ?? [] }
        if indexing {
            var signIns = Set<String>()
            for (change, chain) in zip(changes, chains) {
                guard let actor = change.actor else { continue }
                for name in [actor.name] + chain.map(\.identity) { signIns.insert(IssuanceIndex.signInKey(name, device: change.scope.device)) }
            }
            issuances.index(signIns: signIns)
        }
        var sightings: [(key: String, sighting: Sighting)] = []
        for (change, chain) in zip(changes, chains) {
            guard let actor = change.actor else { continue }
            if firstOnPlatform[change.platform].map({ change.time < $0 }) ?? true { firstOnPlatform[change.platform] = change.time }
            let key = principal(of: actor, chain: chain)
            sightings.append((key, Sighting(time: change.time, address: actor.sourceIP, client: Self.client(actor.userAgent))))
            if change.outcome.succeeded, firstChange[key].map({ change.time < $0 }) ?? true { firstChange[key] = change.time }
        }
        // Histories are read only for the identities behind changes: the events of those alone are
        // kept (a principal's key is made only when its length is one of theirs; lowercasing ASCII
        // keeps the length). Events in a row mostly share their principal and client: their keys
        // are made once per run.
        let wanted = Set(sightings.map(\.key)), wantedLengths = Set(wanted.map(\.utf8.count))
        // The lengths below 64 as one bit each: most events' principals are passed over on a bit test.
        let shortLengths = wantedLengths.reduce(UInt64(0)) { $1 < 64 ? $0 | 1 << UInt64($1) : $0 }
        var principalKey = LastKey(), clientKey = LastKey()
        for list in authEventsByInput {
            list.withUnsafeBufferPointer { list in
                // Fields are read in place: binding an event would copy all of it.
                for index in list.indices {
                    let event = list.baseAddress! + index
                    let principal = event.pointee.principal
                    let length = principal.utf8.count
                    let wantedLength = length < 64 ? shortLengths >> UInt64(length) & 1 == 1 : wantedLengths.contains(length)
                    guard wantedLength || !principal.isASCII else { continue }
                    let key = principalKey.key(for: principal, \.asciiLowercased)
                    guard wanted.contains(key) else { continue }
                    history[key, default: []].append(Sighting(time: event.pointee.time, address: event.pointee.sourceIP,
                                                              client: clientKey.key(for: event.pointee.userAgent, Self.client)))
                }
            }
        }
        for (key, sighting) in sightings { history[key, default: []].append(sighting) }
        Self.sortLists(&history) { $0.time < $1.time }
    }

    /// Sorts the lists of `lists` that are out of order (few are: most hold one element), without
    /// mutating the dictionary while iterating it (which would copy all of it).
    private static func sortLists<Element>(_ lists: inout [String: [Element]], by less: (Element, Element) -> Bool) {
        let unsorted = lists.compactMap { key, list in zip(list, list.dropFirst()).contains { less($1, $0) } ? key : nil }
        for key in unsorted { lists[key]?.sort(by: less) }
    }

    /// A key made from the last text seen, remade only when the text changes.
    private struct LastKey {
        private var text: String?? = .none
        private var made: String?

        mutating func key(for text: String, _ make: (String) -> String) -> String {
            key(for: Optional(text), { $0.map(make) })!
        }

        mutating func key(for text: String?, _ make: (String?) -> String?) -> String? {
            if let last = self.text, last == text { return made }
            self.text = .some(text)
            made = make(text)
            return made
        }
    }

    /// The context of `change`'s actor.
    public func context(for change: MirrorChange) -> ActorContext {
        var context = ActorContext()
        guard let actor = change.actor else { return context }
        context.chain = chain(for: actor, at: change.time)
        context.evidence = context.chain.compactMap(\.evidence)
        resolveMFA(actor, change: change, into: &context)
        let key = principal(of: actor, chain: context.chain)
        let names = [actor.name, actor.sessionIssuer, actor.delegatedBy].compactMap { $0 } + context.chain.map(\.identity)
        if actor.type == "Root" || names.contains(where: { $0.hasSuffix(":root") }) { context.flags.append(.root) }
        if names.contains(where: isBreakGlass) { context.flags.append(.breakGlass) }
        // An IAM user's long-lived access key (the credential report tells its age, not which key was used).
        // Only a long-lived key (AKIA...) signs as the user itself; console and session credentials (ASIA...) do not.
        if actor.accessKeyId.map({ $0.hasPrefix("AKIA") }) ?? true,
           let user = ([actor.name] + context.chain.map(\.identity)).first(where: { $0.firstRange(of: ":user/") != nil }),
           let rotated = credentials[user.lowercased()]?.accessKeys.filter({ $0.active && ($0.lastRotated.map { $0 <= change.time } ?? false) }).compactMap(\.lastRotated).min(),
           change.time.timeIntervalSince(rotated) > 90 * 86400 {
            context.flags.append(.oldAccessKey)
        }
        if let first = firstChange[key], let platformFirst = firstOnPlatform[change.platform], platformFirst < first,
           change.time.timeIntervalSince(first) < Self.firstSeenSpan {
            context.flags.append(.firstSeenActor)
            context.historySince = platformFirst
        } else {
            let earlier = (history[key] ?? []).filter { $0.time < change.time }
            let addresses = Set(earlier.compactMap(\.address).filter(Self.isAddress))
            if let address = actor.sourceIP, Self.isAddress(address), !addresses.isEmpty, !addresses.contains(address) {
                context.flags.append(.newSourceIP)
            }
            let clients = Set(earlier.compactMap(\.client))
            if let client = Self.client(actor.userAgent), !clients.isEmpty, !clients.contains(client) { context.flags.append(.newUserAgent) }
        }
        return context
    }

    /// From the actor back to the person: role sessions to the `AssumeRole` that issued their
    /// credentials (by access key, else by session name), federated roles to their subject,
    /// impersonated service accounts to the user who impersonated them.
    func chain(for actor: Actor, at time: Date) -> [IdentityLink] { chain(for: actor, at: time, asking: nil) }

    /// What chains asked for that is not indexed yet: access keys and sessions (lowercased).
    private final class Asked {
        var keys = Set<String>(), identities = Set<String>()
    }

    /// As `chain(for:at:)`; with `asked`, an issuer not indexed yet is noted there and ends the chain.
    private func chain(for actor: Actor, at time: Date, asking asked: Asked?) -> [IdentityLink] {
        var links: [IdentityLink] = []
        if let delegator = actor.delegatedBy, delegator != actor.name {
            // GCP writes the delegation itself; an AWS source identity is whatever the caller set.
            let google = actor.type == "serviceAccount"
            links.append(IdentityLink(identity: delegator, how: google ? "impersonated \(actor.name)" : "source identity of the role session (set by the caller)",
                                      evidence: nil, verified: google))
        }
        var current = actor.name
        var key = actor.accessKeyId
        var at = time
        for _ in 0..<5 {
            guard let event = issuer(of: current, key: key, before: at, asking: asked) else { break }
            let role = Self.roleName(event.issuedIdentity)
            if let subject = event.subject, event.operation != "AssumeRole" {
                links.append(IdentityLink(identity: subject, how: "signed in to \(role) through \(event.operation) at \(Timestamp.format(event.time))", evidence: event.evidence))
                break
            }
            guard !links.contains(where: { $0.identity == event.principal }), event.principal != actor.name else { break }
            links.append(IdentityLink(identity: event.principal, how: "assumed \(role) with \(event.operation) at \(Timestamp.format(event.time))"
                + (event.sourceIP.map { " from \($0)" } ?? ""), evidence: event.evidence))
            current = event.principal
            key = event.callerAccessKey
            at = event.time
        }
        return links
    }

    /// The event that issued the credentials: by access key when the call names one (a session ARN
    /// holds a caller-chosen session name, so it is used only when no key is known).
    private func issuer(of identity: String, key: String?, before time: Date, asking asked: Asked?) -> AuthEvent? {
        if let key {
            if let asked, !issuances.indexedKeys.contains(key) {
                asked.keys.insert(key)
                return nil
            }
            return issuances.issuance(ofKey: key).flatMap { $0.time <= time ? issuances.event($0) : nil }
        }
        let lower = identity.asciiLowercased
        if let asked, !issuances.indexedIdentities.contains(lower) {
            asked.identities.insert(lower)
            return nil
        }
        return issuances.issuances(ofIdentity: lower).last { $0.time <= time && time.timeIntervalSince($0.time) <= Self.sessionLifetime }
            .map(issuances.event)
    }

    private func resolveMFA(_ actor: Actor, change: MirrorChange, into context: inout ActorContext) {
        let candidates = [actor.name] + context.chain.map(\.identity)
        let signIn = candidates.lazy.compactMap { name in
            self.issuances.signIns(IssuanceIndex.signInKey(name, device: change.scope.device)).last {
                $0.time <= change.time && change.time.timeIntervalSince($0.time) <= Self.sessionLifetime
            }.map(self.issuances.event)
        }.first
        if let signIn {
            context.evidence.append(signIn.evidence)
            if actor.sourceIP == nil, let address = signIn.sourceIP {
                context.chain.append(IdentityLink(identity: signIn.principal, how: "logged in from \(address) at \(Timestamp.format(signIn.time))",
                                                  evidence: signIn.evidence))
            }
        }
        if let mfa = actor.mfa {
            context.mfa = mfa
            context.mfaBasis = change.platform == .azure ? "token claims" : "session context"
        }
        if let signIn, let mfa = signIn.mfa, context.mfa == nil {
            context.mfa = mfa
            context.mfaBasis = "\(signIn.operation) at \(Timestamp.format(signIn.time))"
        }
        // Only a person is expected to use MFA: a sign-in, a federated subject, the root user or an Azure user.
        let person = signIn?.mfa != nil || actor.type == "Root" || actor.type == "user" && change.platform == .azure
            || context.chain.contains { $0.how.hasPrefix("signed in") }
        if context.mfa == false && person { context.flags.append(.noMFA) }
    }

    /// The identity histories are kept by: the person behind the chain when known, else the
    /// role behind a session, else the actor's name.
    private func principal(of actor: Actor, chain: [IdentityLink]) -> String {
        (chain.last(where: { $0.verified && !$0.how.hasPrefix("logged in") })?.identity ?? actor.sessionIssuer ?? actor.name).asciiLowercased
    }

    private func isBreakGlass(_ name: String) -> Bool {
        if breakGlass.contains(where: { $0.matches(name) }) { return true }
        let lower = name.lowercased()
        return ["breakglass", "break-glass", "break_glass", "emergency-access", "emergencyaccess"].contains { lower.containsBytes($0) }
    }

    /// `arn:aws:sts::1:assumed-role/DeployRole/session` or `arn:aws:iam::1:role/path/DeployRole` → `DeployRole`.
    static func roleName(_ arn: String?) -> String {
        guard let arn else { return "a role" }
        if let range = arn.firstRange(of: ":assumed-role/") {
            return arn[range.upperBound...].split(separator: "/").first.map(String.init) ?? arn
        }
        if let range = arn.firstRange(of: ":role/") { return arn[range.upperBound...].split(separator: "/").last.map(String.init) ?? arn }
        return arn
    }

    /// A client family: `aws-cli/2.18.4 md/...` → `aws-cli`; console sign-ins → their browser family.
    static func client(_ userAgent: String?) -> String? {
        guard let userAgent, !userAgent.isEmpty else { return nil }
        // The first word before a space or slash (without splitting the whole agent string).
        let utf8 = userAgent.utf8
        func separates(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x2F }
        guard let start = utf8.firstIndex(where: { !separates($0) }) else { return userAgent.lowercased() }
        let end = utf8[start...].firstIndex(where: separates) ?? utf8.endIndex
        return String(userAgent[start..<end]).asciiLowercased
    }

    /// Whether a source "address" is one (CloudTrail puts service names there for service calls).
    static func isAddress(_ text: String) -> Bool {
        !text.isEmpty && !text.containsBytes(".amazonaws.com") && !text.lowercased().hasPrefix("aws internal")
            && text.allSatisfy { $0.isHexDigit || $0 == "." || $0 == ":" }
    }
}
