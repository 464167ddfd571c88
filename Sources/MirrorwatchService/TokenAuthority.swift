import Crypto
import Foundation
import MirrorwatchStore

/// Who a request comes from, once its bearer token is recognised.
public struct Caller: Sendable, Equatable {
    /// The token's name (what the audit log records; never the token).
    public var name: String
    public var role: Role
}

/// Recognises bearer tokens by their SHA-256: tokens are stored hashed, in the configuration
/// file or the database, and compared in constant time.
public final class TokenAuthority: Sendable {
    private let entries: [(sha256: [UInt8], caller: Caller)]

    public init(tokens: [ServiceConfiguration.TokenEntry], stored: [StoredToken]) {
        var entries: [(sha256: [UInt8], caller: Caller)] = []
        for token in tokens { if let hash = Self.bytes(hex: token.sha256) { entries.append((hash, Caller(name: token.name, role: token.role))) } }
        for token in stored {
            if let hash = Self.bytes(hex: token.sha256), let role = Role(rawValue: token.role) { entries.append((hash, Caller(name: token.name, role: role))) }
        }
        self.entries = entries
    }

    /// Whether any token is known (with none, nothing but the health check can be used).
    public var isEmpty: Bool { entries.isEmpty }

    /// The caller a token belongs to, or nil.
    public func caller(for token: Substring) -> Caller? {
        let digest = Array(SHA256.hash(data: Array(token.utf8)))
        var found: Caller? = nil
        for entry in entries where Self.constantTimeEquals(entry.sha256, digest) { found = entry.caller }
        return found
    }

    /// The SHA-256 of a token, in hex, as configuration files hold it.
    public static func hash(_ token: String) -> String {
        SHA256.hash(data: Array(token.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// A new random token (`mw_` and 32 random bytes in hex).
    public static func generate() -> String {
        var generator = SystemRandomNumberGenerator()
        return "mw_" + (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
    }

    /// Whether `a` equals `b`, in time that depends on their lengths only.
    static func constantTimeEquals(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for i in a.indices { difference |= a[i] ^ b[i] }
        return difference == 0
    }

    /// The 32 bytes of a SHA-256 written as 64 hex digits, or nil.
    static func bytes(hex: String) -> [UInt8]? {
        let digits = Array(hex.lowercased().utf8)
        guard digits.count == 64 else { return nil }
        var bytes: [UInt8] = []
        for i in stride(from: 0, to: 64, by: 2) {
            guard let byte = UInt8(String(decoding: digits[i..<(i + 2)], as: UTF8.self), radix: 16) else { return nil }
            bytes.append(byte)
        }
        return bytes
    }
}
