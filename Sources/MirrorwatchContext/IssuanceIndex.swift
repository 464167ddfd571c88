import Foundation
import MirrorwatchModel

/// The sign-in and credential events found by what they issued: an access key, a role session (by
/// its ARN, ignoring ASCII case) or a sign-in (by principal and device).
///
/// Only what is asked for is indexed (`index(keys:identities:)` and `index(signIns:)`, one pass over
/// the events each): indexing every event up front (a string key, a lowercased copy and a list per
/// role assumption) cost more than the rest of the evaluation on a trail of role assumptions. Anything
/// not indexed is found by a pass over the events, with the same answer.
struct IssuanceIndex: Sendable {
    /// Where an event is in `events` (its input's list, its place there) and its time: the indexes
    /// hold these rather than copies of the events, which are large values. Ordered by time, then by
    /// input and place (the order of a stable sort of every input's events by time).
    struct EventRef: Sendable, Comparable {
        var time: Date
        var group: Int32
        var index: Int32

        static func < (a: EventRef, b: EventRef) -> Bool {
            a.time != b.time ? a.time < b.time : (a.group, a.index) < (b.group, b.index)
        }
    }

    /// The events as each input gave them.
    let events: [[AuthEvent]]
    private var byKey: [String: EventRef] = [:]
    private var byIdentity: [String: [EventRef]] = [:]
    private var bySignIn: [String: [EventRef]] = [:]
    /// The access keys, lowercased session ARNs and sign-in keys indexed so far (with or without an event).
    private(set) var indexedKeys: Set<String> = []
    private(set) var indexedIdentities: Set<String> = []
    private(set) var indexedSignIns: Set<String> = []

    init(events: [[AuthEvent]]) { self.events = events }

    func event(_ ref: EventRef) -> AuthEvent { events[Int(ref.group)][Int(ref.index)] }

    /// The event that issued access key `key`, the latest when several did (keys are unique in practice).
    func issuance(ofKey key: String) -> EventRef? {
        if indexedKeys.contains(key) { return byKey[key] }
        var found: EventRef?
        forEachSucceeded { ref, event in
            if event.pointee.issuedAccessKey == key, found.map({ $0 < ref }) ?? true { found = ref }
        }
        return found
    }

    /// The role assumptions that issued the session `identity` (an ARN in ASCII lower case), in order.
    func issuances(ofIdentity identity: String) -> [EventRef] {
        if indexedIdentities.contains(identity) { return byIdentity[identity] ?? [] }
        var found: [EventRef] = []
        forEachSucceeded { ref, event in
            if event.pointee.kind == .assumeRole, let issued = event.pointee.issuedIdentity, issued.asciiLowercased == identity { found.append(ref) }
        }
        return found.sorted()
    }

    /// The sign-ins (every event but a role assumption) under `key` (`signInKey(_:device:)`), in order.
    func signIns(_ key: String) -> [EventRef] {
        if indexedSignIns.contains(key) { return bySignIn[key] ?? [] }
        var found: [EventRef] = []
        forEachSucceeded { ref, event in
            if event.pointee.kind != .assumeRole, Self.signInKey(event.pointee.principal, device: event.pointee.scope.device) == key { found.append(ref) }
        }
        return found.sorted()
    }

    /// Indexes the issuances of access keys `keys` and of sessions `identities` (lowercased), in one pass.
    mutating func index(keys: Set<String>, identities: Set<String>) {
        let keys = keys.subtracting(indexedKeys), identities = identities.subtracting(indexedIdentities)
        guard !keys.isEmpty || !identities.isEmpty else { return }
        // Lowercasing keeps the length: most sessions are passed over on it.
        let lengths = Set(identities.map(\.utf8.count))
        var byKey = self.byKey, byIdentity: [String: [EventRef]] = [:]
        forEachSucceeded { ref, event in
            if !keys.isEmpty, let key = event.pointee.issuedAccessKey, keys.contains(key) {
                if let kept = byKey.updateValue(ref, forKey: key), ref < kept { byKey[key] = kept }
            }
            if !lengths.isEmpty, event.pointee.kind == .assumeRole, let issued = event.pointee.issuedIdentity, lengths.contains(issued.utf8.count) {
                let lower = issued.asciiLowercased
                if identities.contains(lower) { byIdentity[lower, default: []].append(ref) }
            }
        }
        self.byKey = byKey
        for (identity, refs) in byIdentity { self.byIdentity[identity] = refs.sorted() }
        indexedKeys.formUnion(keys)
        indexedIdentities.formUnion(identities)
    }

    /// Indexes the sign-ins under `keys` (`signInKey(_:device:)`), in one pass.
    mutating func index(signIns keys: Set<String>) {
        let keys = keys.subtracting(indexedSignIns)
        guard !keys.isEmpty else { return }
        let lengths = Set(keys.map(\.utf8.count))
        var found: [String: [EventRef]] = [:]
        forEachSucceeded { ref, event in
            guard event.pointee.kind != .assumeRole else { return }
            let device = event.pointee.scope.device
            guard lengths.contains((device.map { $0.utf8.count + 1 } ?? 0) + event.pointee.principal.utf8.count) else { return }
            let key = Self.signInKey(event.pointee.principal, device: device)
            if keys.contains(key) { found[key, default: []].append(ref) }
        }
        for (key, refs) in found { bySignIn[key] = refs.sorted() }
        indexedSignIns.formUnion(keys)
    }

    /// A sign-in's key: its principal, after its device when it has one, in ASCII lower case.
    static func signInKey(_ principal: String, device: String?) -> String {
        ((device.map { $0 + "|" } ?? "") + principal).asciiLowercased
    }

    /// Every event that succeeded, with where it is, read in place (binding an event would copy all of it).
    private func forEachSucceeded(_ body: (EventRef, UnsafePointer<AuthEvent>) -> Void) {
        for (group, list) in events.enumerated() {
            list.withUnsafeBufferPointer { list in
                for index in list.indices {
                    let event = list.baseAddress! + index
                    guard event.pointee.succeeded else { continue }
                    body(EventRef(time: event.pointee.time, group: Int32(group), index: Int32(index)), event)
                }
            }
        }
    }
}
