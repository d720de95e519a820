/// The caps the reply parser applies to what one answer may carry.
public enum ReplyParserLimits {
    /// CNAME links followed before the answer counts as a badresponse.
    public static let chainCap = 16
    /// Addresses kept from one answer; more set `LookupAnswer.addressesCapped`.
    public static let addressCap = 1000
}
