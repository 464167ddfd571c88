#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An IPv4 or IPv6 address in its 128-bit form (IPv4 mapped into `::ffff:0:0/96`), held as two words:
/// flow readers test every flow's destination against the organization's ranges, so parsing and
/// matching allocate nothing.
public struct IPAddress: Sendable, Hashable {
    /// The first and last 64 bits, in network order read as numbers.
    public var high: UInt64
    public var low: UInt64
    public var isV4: Bool

    /// The 16 bytes, in network order.
    public var bytes: [UInt8] {
        var result: [UInt8] = []
        for word in [high, low] {
            for shift in stride(from: 56, through: 0, by: -8) { result.append(UInt8(truncatingIfNeeded: word >> UInt64(shift))) }
        }
        return result
    }

    /// Parses dotted IPv4 or IPv6 text (blanks around it allowed).
    public init?(_ text: String) {
        var trimmed = Substring(text)
        while trimmed.first == " " { trimmed.removeFirst() }
        while trimmed.last == " " { trimmed.removeLast() }
        guard !trimmed.isEmpty, trimmed.utf8.count <= 64 else { return nil }
        let candidate = String(trimmed)
        var v4 = in_addr()
        if inet_pton(AF_INET, candidate, &v4) == 1 {
            high = 0
            low = 0xFFFF_0000_0000 | UInt64(UInt32(bigEndian: v4.s_addr))
            isV4 = true
            return
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, candidate, &v6) == 1 {
            (high, low) = withUnsafeBytes(of: &v6) { raw in
                (UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 0, as: UInt64.self)),
                 UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self)))
            }
            isV4 = false
            return
        }
        return nil
    }
}

/// An address range in CIDR notation; a bare address is a /32 (or /128).
public struct CIDR: Sendable, Hashable, CustomStringConvertible {
    public var network: IPAddress
    /// Prefix length over the 128-bit form.
    public var prefix: Int
    public var text: String

    public init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count <= 2, let address = IPAddress(String(parts[0])) else { return nil }
        let maximum = address.isV4 ? 32 : 128
        var length = maximum
        if parts.count == 2 {
            guard let n = Int(parts[1]), (0...maximum).contains(n) else { return nil }
            length = n
        }
        network = address
        prefix = address.isV4 ? length + 96 : length
        self.text = text
    }

    public var description: String { text }

    public func contains(_ address: IPAddress) -> Bool {
        guard address.isV4 == network.isV4 else { return false }
        // Masks over the two words for the prefix length (0...128).
        let highMask: UInt64 = prefix >= 64 ? ~0 : prefix == 0 ? 0 : ~0 << UInt64(64 - prefix)
        let lowMask: UInt64 = prefix <= 64 ? 0 : prefix >= 128 ? ~0 : ~0 << UInt64(128 - prefix)
        return (address.high ^ network.high) & highMask == 0 && (address.low ^ network.low) & lowMask == 0
    }

    public func contains(_ text: String) -> Bool {
        guard let address = IPAddress(text) else { return false }
        return contains(address)
    }
}

extension String {
    fileprivate func trimmingCharacters(in set: [Character]) -> String {
        var s = Substring(self)
        while let f = s.first, set.contains(f) { s.removeFirst() }
        while let l = s.last, set.contains(l) { s.removeLast() }
        return String(s)
    }
}
