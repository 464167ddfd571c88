import MirrorwatchModel
import MirrorwatchPolicy
import Testing

@Suite struct IdentityPatternTests {
    let session = Actor(name: "arn:aws:sts::111122223333:assumed-role/NetworkAdmin/alice@example.com", type: "AssumedRole",
                        sessionIssuer: "arn:aws:iam::111122223333:role/NetworkAdmin", accountId: "111122223333")

    @Test func roleArnCoversEverySessionOfTheRole() {
        #expect(IdentityPattern("arn:aws:iam::111122223333:role/NetworkAdmin").matches(session))
        #expect(!IdentityPattern("arn:aws:iam::111122223333:role/NetworkAdminOld").matches(session))
        #expect(!IdentityPattern("arn:aws:iam::999999999999:role/NetworkAdmin").matches(session))
    }

    @Test func sessionArnWithoutIssuerStillMapsToTheRole() {
        let bare = Actor(name: "arn:aws:sts::111122223333:assumed-role/NetworkAdmin/bob")
        #expect(IdentityPattern("arn:aws:iam::111122223333:role/NetworkAdmin").matches(bare))
    }

    @Test func wildcards() {
        #expect(IdentityPattern("arn:aws:iam::111122223333:role/Network*").matches(session))
        #expect(IdentityPattern("arn:aws:sts::111122223333:assumed-role/NetworkAdmin/*@example.com").matches(session))
        #expect(IdentityPattern("*").matches(session))
        #expect(!IdentityPattern("arn:aws:iam::*:user/*").matches(session))
    }

    @Test func rolePathsAreMatchedWithOrWithoutThePath() {
        let sso = Actor(name: "arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_NetworkAdmin_0123abcd/carol",
                        sessionIssuer: "arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_NetworkAdmin_0123abcd")
        #expect(IdentityPattern("arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_NetworkAdmin_*").matches(sso))
        #expect(IdentityPattern("arn:aws:iam::111122223333:role/AWSReservedSSO_NetworkAdmin_*").matches(sso))
        // Written with the path, the pattern covers that path only: a role named alike at "/" is another role.
        let lookalike = Actor(name: "arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_NetworkAdmin_pwn/mallory",
                              sessionIssuer: "arn:aws:iam::111122223333:role/AWSReservedSSO_NetworkAdmin_pwn")
        #expect(!IdentityPattern("arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_NetworkAdmin_*").matches(lookalike))
        #expect(!IdentityPattern("arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_NetworkAdmin_*")
            .matches("arn:aws:iam::111122223333:role/AWSReservedSSO_NetworkAdmin_pwn"))
        #expect(IdentityPattern("arn:aws:iam::111122223333:role/AWSReservedSSO_NetworkAdmin_*").matches(lookalike), "without a path: any path")
        // A session whose issuer is unknown carries no path: its role's name is all there is.
        let bare = Actor(name: "arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_NetworkAdmin_0123abcd/carol")
        #expect(IdentityPattern("arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_NetworkAdmin_*").matches(bare))
    }

    @Test func usersAndEmailsMatchIgnoringCase() {
        let user = Actor(name: "arn:aws:iam::111122223333:user/Deploy", userName: "Deploy")
        #expect(IdentityPattern("arn:aws:iam::111122223333:user/deploy").matches(user))
        #expect(IdentityPattern("netops-*@example.com").matches("NetOps-alice@example.com"))
    }
}

@Suite struct CIDRTests {
    @Test func containsAddressesOfItsFamily() throws {
        let v4 = try #require(CIDR("10.20.0.0/16"))
        #expect(v4.contains("10.20.255.1"))
        #expect(!v4.contains("10.21.0.1"))
        let v6 = try #require(CIDR("fd00::/8"))
        #expect(v6.contains("fd12:3456::1"))
        #expect(!v6.contains("10.20.0.1"))
        #expect(CIDR("192.0.2.7")?.contains("192.0.2.7") == true)
        #expect(CIDR("192.0.2.7")?.contains("192.0.2.8") == false)
        #expect(CIDR("0.0.0.0/0")?.contains("203.0.113.9") == true)
    }

    /// Prefix lengths at every word boundary of the 128-bit form, against a plain bit-by-bit reference.
    @Test func prefixesAtEveryLengthAgreeWithABitByBitComparison() throws {
        func bits(_ address: IPAddress) -> [Bool] { address.bytes.flatMap { byte in (0..<8).map { byte >> (7 - $0) & 1 == 1 } } }
        let samples = [("10.20.30.40", ["10.20.30.41", "10.20.31.40", "11.20.30.40", "10.20.30.40", "138.20.30.40"]),
                       ("fd00:1234:5678:9abc:def0:1234:5678:9abc", ["fd00:1234:5678:9abc:def0:1234:5678:9abd", "fd00:1234:5678:9abd::",
                                                                     "fd00:1234:5678:9abc:8000::", "fe00::", "fd00:1234:5678:9abc:def0:1234:5678:9abc"])]
        for (network, others) in samples {
            let isV4 = network.contains(".")
            for length in 0...(isV4 ? 32 : 128) {
                let cidr = try #require(CIDR("\(network)/\(length)"))
                let prefix = isV4 ? length + 96 : length
                for other in others {
                    let address = try #require(IPAddress(other))
                    let expected = Array(bits(address).prefix(prefix)) == Array(bits(cidr.network).prefix(prefix))
                    #expect(cidr.contains(address) == expected, "\(network)/\(length) vs \(other)")
                }
            }
        }
        #expect(IPAddress("  10.1.2.3 ")?.bytes == [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF, 10, 1, 2, 3], "IPv4 is mapped, blanks trimmed")
        // IPv6 against expectations written out (the reference above shares `bytes` with the code under test).
        #expect(IPAddress("2001:db8::ff00:42:8329")?.bytes == [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0xff, 0x00, 0x00, 0x42, 0x83, 0x29])
        #expect(CIDR("fd00::/8")?.contains("fe00::1") == false && CIDR("fd00::/8")?.contains("fdff:ffff::1") == true)
        #expect(CIDR("2001:db8::/32")?.contains("2001:db8:ffff:ffff::1") == true && CIDR("2001:db8::/32")?.contains("2001:db9::") == false)
        #expect(CIDR("2001:db8:0:0:8000::/65")?.contains("2001:db8::8000:0:0:1") == true && CIDR("2001:db8:0:0:8000::/65")?.contains("2001:db8::7fff:0:0:1") == false)
        #expect(CIDR("2001:db8::1/128")?.contains("2001:db8::1") == true && CIDR("2001:db8::1/128")?.contains("2001:db8::2") == false)
        #expect(IPAddress("::ffff:10.1.2.3")?.isV4 == false, "an IPv6 spelling stays IPv6")
        #expect(IPAddress("10.1.2") == nil && IPAddress("") == nil && IPAddress("10.1.2.3/8") == nil)
    }

    @Test(arguments: ["10.0.0.0/33", "10.0.0/8", "banana", "::/129", "10.0.0.0/-1", ""])
    func rejectsInvalid(_ text: String) {
        #expect(CIDR(text) == nil)
    }
}
