@testable import MirrorwatchContext
import Testing

/// The client family of a user agent, which tells a new tool from a known one.
@Suite struct ClientFamilyTests {
    @Test(arguments: [
        ("aws-cli/2.18.4 md/awscrt#0.22.0 ua/2.0 os/linux#6.1", "aws-cli"),
        ("Boto3/1.35.0 md/Botocore#1.35.0", "boto3"),
        ("Mozilla/5.0 (X11; Linux x86_64)", "mozilla"),
        ("console.amazonaws.com", "console.amazonaws.com"),
        ("  /terraform-provider-aws/5.0", "terraform-provider-aws"),
        ("// ", "// "),
    ])
    func theFirstWordIsTheFamily(agent: String, family: String) {
        #expect(IdentityResolver.client(agent) == family)
    }

    @Test func noAgentNoFamily() {
        #expect(IdentityResolver.client(nil) == nil)
        #expect(IdentityResolver.client("") == nil)
    }
}
