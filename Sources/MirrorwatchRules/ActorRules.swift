import MirrorwatchModel

/// `mirror.change.unauthorized-actor`: someone outside `authorized_identities` changed mirroring.
enum ActorRules {
    static func evaluate(_ a: Assessment, _ context: RuleContext) -> [Finding] {
        guard let change = a.change, change.outcome.succeeded, a.actorAuthorized == false else { return [] }
        let severity: Severity = a.destinationUnapproved || a.destinationExternal ? .high : .medium
        let patterns = context.policy.authorizedIdentities.map(\.text).joined(separator: ", ")
        return [FindingFactory.make(
            RuleID.unauthorizedActor, severity,
            title: "\(change.operation) by unauthorized \(change.actor?.short ?? "identity")",
            why: Narrative.change(a) + (change.actor?.type == "local-account"
                ? " \(change.actor?.name ?? "The user") is a local account on \(change.scope.device ?? "the device"): the TACACS+ records for this device never show it, so the command bypassed central authorization."
                : " The identity matches none of authorized_identities (\(patterns)); names tried: \(change.actor.map { IdentityNames.all($0) } ?? "none")."),
            benignIf: "The identity is a legitimate network or security administrator: add it (or its role) to authorized_identities.",
            assessment: a, context: context)]
    }
}

import MirrorwatchPolicy

enum IdentityNames {
    static func all(_ actor: Actor) -> String {
        var seen = Set<String>()
        return IdentityPattern.candidates(for: actor).filter { seen.insert($0).inserted }.joined(separator: ", ")
    }
}
