/// The version of mirrorwatch, as findings sent elsewhere name it (CEF's device version, the
/// service's sinks); the README's changelog lists what each one changed.
public enum ProductVersion {
    public static let current = "0.20"
}
