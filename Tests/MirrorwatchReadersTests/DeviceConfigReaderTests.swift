import Foundation
import MirrorwatchModel
import MirrorwatchReaders
import MirrorwatchTestSupport
import Testing

@Suite struct DeviceConfigReaderTests {
    static let ios = """
    Building configuration...

    Current configuration : 4211 bytes
    !
    version 17.6
    hostname core-sw1
    !
    interface GigabitEthernet1/0/1
     description payments uplink
    !
    monitor session 1 source interface Gi1/0/1 , Gi1/0/2 both
    monitor session 1 source vlan 20 rx
    monitor session 1 destination interface Gi1/0/48
    monitor session 2 source vlan 30
    monitor session 2 destination remote vlan 900
    monitor session 3 type erspan-source
     description capture for vendor
     source interface Te1/1/1
     destination
      erspan-id 100
      ip address 203.0.113.50
      origin ip address 10.0.0.1
     no shutdown
    !
    end
    """

    static let nxos = """
    !Command: show running-config
    !Time: Tue Nov  3 10:00:00 2026
    version 9.3(8)
    feature telemetry
    hostname dc-leaf7
    monitor session 1
      description local span
      source interface Ethernet1/5 both
      destination interface Ethernet1/48
      no shut
    monitor session 5 type erspan-source
      erspan-id 55
      vrf default
      destination ip 10.99.1.10
      source vlan 100-110 rx
      no shut
    """

    static let eos = """
    ! Command: show running-config
    ! device: edge-eos2 (DCS-7280SR-48C6, EOS-4.28.3M)
    !
    hostname edge-eos2
    !
    monitor session tapagg source Ethernet3 rx
    monitor session tapagg source Ethernet4 both
    monitor session tapagg destination tunnel mode gre source 10.1.1.1 destination 198.51.100.77
    monitor session local destination Ethernet48
    monitor session local source Ethernet1
    !
    end
    """

    static let junosCurly = """
    ## Last commit: 2026-11-03 10:00:00 UTC by netops
    version 21.4R3;
    system {
        host-name mx-edge1;
    }
    interfaces {
        ge-0/0/3 {
            unit 0 {
                family inet {
                    filter {
                        input MIRROR-PCI;
                    }
                }
            }
        }
    }
    firewall {
        family inet {
            filter MIRROR-PCI {
                term all {
                    then {
                        port-mirror;
                        accept;
                    }
                }
            }
        }
    }
    forwarding-options {
        port-mirroring {
            input {
                rate 1;
            }
            family inet {
                output {
                    interface ge-0/0/9.0 {
                        next-hop 192.0.2.99;
                    }
                }
            }
        }
        analyzer span-core {
            input {
                ingress {
                    interface ge-0/0/1.0;
                }
            }
            output {
                interface ge-0/0/7.0;
            }
        }
        inactive: analyzer old {
            input {
                ingress {
                    interface ge-0/0/2.0;
                }
            }
            output {
                interface ge-0/0/8.0;
            }
        }
    }
    """

    func sessions(_ name: String, _ text: String) -> (ReadResult, [String: ObservedSession]) {
        let result = readInput(name, text)
        return (result, Dictionary(uniqueKeysWithValues: result.sessions.map { ($0.id, $0) }))
    }

    @Test func ciscoIOSGlobalAndErspanBlocks() throws {
        let (result, s) = sessions("core-sw1.cfg", Self.ios)
        #expect(result.report.format == "device-config")
        #expect(result.report.skipped == 0)
        let local = try #require(s["core-sw1:monitor session 1"])
        #expect(local.platform == .ciscoIOS)
        #expect(local.scope == Scope(device: "core-sw1"))
        #expect(local.spec.sources.map(\.id) == ["core-sw1:GigabitEthernet1/0/1", "core-sw1:GigabitEthernet1/0/2", "core-sw1:vlan 20"])
        #expect(local.spec.destination?.id == "core-sw1:GigabitEthernet1/0/48")
        #expect(s["core-sw1:monitor session 2"]?.spec.destination?.kind == .remoteVLAN)
        let erspan = try #require(s["core-sw1:monitor session 3"])
        #expect(erspan.spec.destination == Endpoint(kind: .ip, id: "203.0.113.50", address: "203.0.113.50"))
        #expect(erspan.spec.sources.map(\.id) == ["core-sw1:TenGigabitEthernet1/1/1"])
        #expect(erspan.spec.enabled == true)
        #expect(erspan.evidence.line == 16)
        #expect(result.sessionLists == [SessionList(platform: .ciscoIOS, scope: Scope(device: "core-sw1"))])
    }

    @Test func nxosLocalAndErspan() throws {
        let (_, s) = sessions("dc-leaf7.conf", Self.nxos)
        #expect(s["dc-leaf7:monitor session 1"]?.platform == .ciscoNXOS)
        #expect(s["dc-leaf7:monitor session 1"]?.spec.destination?.id == "dc-leaf7:Ethernet1/48")
        #expect(s["dc-leaf7:monitor session 5"]?.spec.destination?.id == "10.99.1.10")
        #expect(s["dc-leaf7:monitor session 5"]?.spec.sources.map(\.id) == ["dc-leaf7:vlan 100-110"])
    }

    @Test func aristaGreTunnelDestination() throws {
        let (_, s) = sessions("edge-eos2", Self.eos)
        let tap = try #require(s["edge-eos2:monitor session tapagg"])
        #expect(tap.platform == .aristaEOS)
        #expect(tap.spec.destination?.id == "198.51.100.77")
        #expect(tap.spec.sources.map(\.id) == ["edge-eos2:Ethernet3", "edge-eos2:Ethernet4"])
        #expect(s["edge-eos2:monitor session local"]?.spec.destination?.id == "edge-eos2:Ethernet48")
    }

    @Test func junosCurlyAndSetFormsAgree() throws {
        let (_, curly) = sessions("mx-edge1.conf", Self.junosCurly)
        let mirroring = try #require(curly["mx-edge1:port-mirroring default"])
        #expect(mirroring.platform == .junos)
        #expect(mirroring.spec.destination?.id == "192.0.2.99")
        #expect(mirroring.spec.sources.map(\.id) == ["mx-edge1:ge-0/0/3.0"])
        #expect(curly["mx-edge1:analyzer span-core"]?.spec.destination?.id == "mx-edge1:ge-0/0/7.0")
        #expect(curly["mx-edge1:analyzer old"] == nil, "inactive configuration does not mirror")
        let set = """
        set version 21.4R3
        set system host-name mx-edge1
        set interfaces ge-0/0/3 unit 0 family inet filter input MIRROR-PCI
        set firewall family inet filter MIRROR-PCI term all then port-mirror
        set forwarding-options port-mirroring input rate 1
        set forwarding-options port-mirroring family inet output interface ge-0/0/9.0 next-hop 192.0.2.99
        set forwarding-options analyzer span-core input ingress interface ge-0/0/1.0
        set forwarding-options analyzer span-core output interface ge-0/0/7.0
        """
        let (_, flat) = sessions("mx-edge1.set", set)
        #expect(Set(flat.keys) == ["mx-edge1:port-mirroring default", "mx-edge1:analyzer span-core"])
        #expect(flat["mx-edge1:port-mirroring default"]?.spec.sources.map(\.id) == ["mx-edge1:ge-0/0/3.0"])
    }

    @Test func unsupportedVendorsAndJunkAreReportedNotRead() {
        let xr = readInput("xr1", "!RANCID-CONTENT-TYPE: cisco-xr\nhostname xr1\nmonitor-session S1 ethernet\n destination interface Gi0/0/0/1\n")
        #expect(xr.sessions.isEmpty)
        #expect(xr.report.issues.first?.reason.contains("cisco-xr configuration") == true)
        let garbage = readBytes("sw9.cfg", Array("hostname sw9\nmonitor session\nmonitor session 1 destination\nmonitor session x source interface\n\u{0}\u{1}\u{2}\n".utf8) + [0xFF, 0xFE, 0x0A])
        #expect(garbage.report.format == "device-config")
        #expect(garbage.sessions.allSatisfy { $0.spec.destination == nil })
    }

    @Test func interfaceNamesInAnyAbbreviation() {
        #expect(InterfaceName.canonical("Gi1/0/1") == "GigabitEthernet1/0/1")
        #expect(InterfaceName.canonical("gigabitethernet1/0/1") == "GigabitEthernet1/0/1")
        #expect(InterfaceName.canonical("Te1/1/1") == "TenGigabitEthernet1/1/1")
        #expect(InterfaceName.canonical("Eth1/5") == "Ethernet1/5")
        #expect(InterfaceName.canonical("Po10") == "Port-channel10")
        #expect(InterfaceName.canonical("ge-0/0/1.0") == "ge-0/0/1.0")
    }
}

/// The public device configurations in ../shared/datasets (batfish parser tests).
@Suite(.enabled(if: RepositoryPaths.datasets != nil, "../shared/datasets not present"))
struct BatfishConfigTests {
    @Test func everyConfigParsesAndOnlyTheThreeMirroringOnesYieldSessions() throws {
        let folder = RepositoryPaths.datasets! + "/devices/batfish/configs"
        let (files, _) = InputSource.expand([folder])
        #expect(files.count > 200)
        var withSessions: [String: Int] = [:]
        for file in files where !file.hasSuffix("LICENSE") {
            let result = InputReader.read(InputSource.load(file))
            if !result.sessions.isEmpty { withSessions[(file as NSString).lastPathComponent] = result.sessions.count }
        }
        #expect(withSessions == ["cisco_monitor": 1, "nxos_monitor": 1, "juniper_forwarding_options": 2])
        let ios = InputReader.read(InputSource.load(folder + "/cisco_monitor")).sessions[0]
        #expect(ios.spec.destination?.id == "1.2.3.4")
        #expect(ios.spec.enabled == false, "the session is shut down")
        let nxos = InputReader.read(InputSource.load(folder + "/nxos_monitor")).sessions[0]
        #expect(nxos.spec.sources.contains { $0.id == "nxos_monitor:vlan 1" })
    }
}
