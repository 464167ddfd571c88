import Foundation
import Mirrorwatch
@testable import MirrorwatchRules
import Testing

/// An exception's `match` names resources, destinations and accounts however the provider spells
/// them, as approved destinations do: a GCP URL or relative path, an Azure id or subscription in any
/// case, a device interface abbreviated or not.
@Suite struct ExceptionMatchingTests {
    func finding(resource: String, destination: String? = nil, account: String) -> Finding {
        var finding = Finding(rule: RuleID.unapprovedDestination, severity: .high, title: "t", why: "w", benignIf: "b", platform: .gcp,
                              time: Date(timeIntervalSince1970: 0), scope: Scope(account: account), subject: "s", evidence: [])
        finding.resourceRefs = [resource]
        finding.destinationRefs = destination.map { [$0] } ?? []
        return finding
    }

    func exception(resource: String? = nil, destination: String? = nil, account: String? = nil) -> PolicyException {
        var match = PolicyException.Match()
        match.resource = resource
        match.destination = destination
        match.account = account
        return PolicyException(id: "EXC-1", rule: RuleID.unapprovedDestination, match: match, owner: "o", justification: "j", ticket: nil,
                               expires: Date.distantFuture, expiresText: "2099-01-01", location: "policy.yaml:1")
    }

    @Test func referencesMatchHoweverTheProviderSpellsThem() {
        let gcp = finding(resource: "projects/shop-prod-2231/regions/us-central1/packetMirrorings/pm-debug", account: "shop-prod-2231")
        #expect(ExceptionRules.matches(exception(resource: "https://www.googleapis.com/compute/v1/projects/shop-prod-2231/regions/us-central1/packetMirrorings/pm-debug"), gcp))
        #expect(ExceptionRules.matches(exception(resource: "projects/shop-prod-2231/regions/us-central1/packetMirrorings/pm-*"), gcp))
        #expect(!ExceptionRules.matches(exception(resource: "https://www.googleapis.com/compute/v1/projects/shop-prod-2231/regions/us-central1/packetMirrorings/pm-other"), gcp))

        let device = finding(resource: "core-sw1:monitor session 1", destination: "core-sw1:GigabitEthernet1/0/13", account: "core-sw1")
        #expect(ExceptionRules.matches(exception(destination: "core-sw1:Gi1/0/13"), device))
        #expect(ExceptionRules.matches(exception(destination: "core-sw1:GigabitEthernet1/0/13"), device))
        #expect(!ExceptionRules.matches(exception(destination: "core-sw1:Gi1/0/14"), device))

        let azure = finding(resource: "/subscriptions/6f1c2d3e-0000-4a5b-8c9d-111122223333/resourcegroups/rg/providers/microsoft.network/virtualnetworktaps/tap-ndr",
                            account: "6f1c2d3e-0000-4a5b-8c9d-111122223333")
        #expect(ExceptionRules.matches(exception(account: "6F1C2D3E-0000-4A5B-8C9D-111122223333"), azure))
        #expect(ExceptionRules.matches(exception(resource: "/subscriptions/6F1C2D3E-0000-4A5B-8C9D-111122223333/resourceGroups/rg/providers/Microsoft.Network/virtualNetworkTaps/tap-ndr"), azure))
        #expect(!ExceptionRules.matches(exception(account: "7f1c2d3e-0000-4a5b-8c9d-111122223333"), azure))
    }
}
