import Foundation
import Mirrorwatch
import Testing

/// Local accounts in device configurations: who can configure a SPAN/ERSPAN session or an analyzer.
@Suite struct DeviceAccessTests {
    @Test func iosPrivilegeLevelsAndRaisedLevels() {
        let config = """
        hostname core-sw1
        !
        username netops-admin privilege 15 secret 9 <removed>
        username helpdesk privilege 5 secret 9 <removed>
        username viewer privilege 7 secret 9 $9$notarealhash
        username monitor secret 9 <removed>
        privilege exec level 5 configure terminal
        privilege exec level 7 show running-config
        !
        monitor session 1 source interface Gi1/0/1 both
        monitor session 1 destination interface Gi1/0/48
        end

        """
        let (verdicts, results) = evaluateAccess(["core-sw1.cfg": config])
        #expect(verdicts.named("netops-admin")?.level == .can)
        #expect(verdicts.named("netops-admin")?.principal.display == "netops-admin on core-sw1")
        #expect(verdicts.named("helpdesk")?.level == .can, "level 5 was given configure terminal")
        #expect(verdicts.named("helpdesk")?.actions.first?.allowedBy.first?.contains("raised to configure terminal") == true)
        #expect(verdicts.named("viewer")?.level == .cannot)
        #expect(verdicts.named("monitor")?.level == .cannot, "no privilege means level 1")
        #expect(verdicts.named("netops-admin")?.evidence.first?.line == 3)
        #expect(results[0].sessions.count == 1, "the sessions are still read")
        let text = results[0].access.policies.map(\.name).joined() + results[0].access.grants.map(\.route).joined()
        #expect(!text.contains("notarealhash"), "secrets are never kept")
    }

    @Test func nxosAndEOSRoles() {
        let nxos = """
        !Command: show running-config
        hostname dc-leaf7
        username admin password 5 <removed>  role network-admin
        username noc password 5 <removed>  role network-operator
        """
        let eos = """
        ! device: edge-eos2 (DCS-7280SR-48C6, EOS-4.28.3M)
        hostname edge-eos2
        username alice privilege 15 role network-admin secret sha512 <removed>
        username oxidized privilege 1 role network-operator secret sha512 <removed>
        """
        let verdicts = evaluateAccess(["dc-leaf7.conf": nxos, "edge-eos2.cfg": eos]).verdicts
        let admin = verdicts.first { $0.principal.id == "dc-leaf7:admin" }
        #expect(admin?.level == .can)
        #expect(admin?.principal.platform == .ciscoNXOS)
        #expect(verdicts.first { $0.principal.id == "dc-leaf7:noc" }?.level == .cannot)
        #expect(verdicts.first { $0.principal.id == "edge-eos2:alice" }?.level == .can)
        #expect(verdicts.first { $0.principal.id == "edge-eos2:oxidized" }?.level == .cannot)
    }

    @Test func junosClassesInBothSyntaxes() {
        let curly = """
        system {
            host-name mx-edge1;
            login {
                class noc-view { permissions [ view view-configuration ]; }
                class changers { permissions [ configure interface-control ]; }
                user bob { class super-user; }
                user noc { class noc-view; }
                user carol { class changers; }
            }
        }
        """
        let set = """
        set system host-name mx-edge2
        set system login user dave class read-only
        set system login user erin class super-user
        """
        let verdicts = evaluateAccess(["mx-edge1.conf": curly, "mx-edge2.conf": set]).verdicts
        #expect(verdicts.first { $0.principal.id == "mx-edge1:bob" }?.level == .can)
        #expect(verdicts.first { $0.principal.id == "mx-edge1:noc" }?.level == .cannot)
        #expect(verdicts.first { $0.principal.id == "mx-edge1:carol" }?.level == .can, "a class with configure permission")
        #expect(verdicts.first { $0.principal.id == "mx-edge2:dave" }?.level == .cannot)
        #expect(verdicts.first { $0.principal.id == "mx-edge2:erin" }?.level == .can)
    }
}
