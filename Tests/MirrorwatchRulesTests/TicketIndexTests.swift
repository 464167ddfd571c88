import Foundation
import Mirrorwatch
import Testing

/// Ticket matching on its own: what a ticket names decides what it may cover.
@Suite struct TicketIndexTests {
    func ticket(_ summary: String, resources: [String]) -> ChangeTicket {
        ChangeTicket(id: "CHG9", state: "Implement", summary: summary, start: Date(timeIntervalSince1970: 0), end: Date(timeIntervalSince1970: 7200),
                     people: [], resources: resources, evidence: Evidence(input: "tickets.csv", record: 0))
    }

    /// A GCP instance named by its short name in a patching ticket is still only the mirrored source.
    @Test func aShortNameOfTheSourceIsContextToo() {
        let source = "projects/shop/zones/us-central1-a/instances/web-1"
        let refs = ["projects/shop/regions/us-central1/packetMirrorings/pm-x", source]
        let patching = TicketIndex([ticket("Patch web-1 kernel", resources: ["web-1"])])
        #expect(patching.match(refs: refs, contextRefs: [source], at: Date(timeIntervalSince1970: 60), window: 0).missing)
        let mirroring = TicketIndex([ticket("Packet mirroring of web-1 to the NDR collector", resources: ["web-1"])])
        #expect(!mirroring.match(refs: refs, contextRefs: [source], at: Date(timeIntervalSince1970: 60), window: 0).missing)
        let named = TicketIndex([ticket("Change 42", resources: ["pm-x"])])
        #expect(!named.match(refs: refs, contextRefs: [source], at: Date(timeIntervalSince1970: 60), window: 0).missing, "the policy itself needs no words")
    }

    /// Which summaries say they are about mirroring.
    @Test func summariesAboutMirroring() {
        for yes in ["Roll out NDR traffic mirroring", "RSPAN of VLAN 30", "vTAP of the web NICs", "Analyzer on mx-edge1", "Configure monitor session 2",
                    "Packet capture for the incident", "Feed the EOS tap aggregator"] {
            #expect(ticket(yes, resources: []).mentionsMirroring, "\(yes)")
        }
        for no in ["Patch web-1 kernel", "Upgrade the monitoring agent on web-1", "Rotate the log collector certificate", "Quarterly clean-up", "Sensor firmware"] {
            #expect(!ticket(no, resources: []).mentionsMirroring, "\(no)")
        }
    }
}
