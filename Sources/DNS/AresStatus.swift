import CAres

#if canImport(Glibc)
    import Glibc
#endif

/// The one place where a c-ares status becomes an `Outcome` and a readable reason.
enum AresStatus {
    /// The outcome and reason of a query c-ares ended with `status`. `socketFailure` is the latest hard
    /// failure of the channel's sockets, if any: c-ares ends a query with ECONNREFUSED for any of them.
    static func outcome(for status: Int32, socketFailure: SocketFailure? = nil) -> (Outcome, String) {
        if status == ARES_ECONNREFUSED, let socketFailure {
            return (.error, "the server could not be reached: \(socketFailure.reason)")
        }
        return switch status {
        case ARES_ETIMEOUT: (.timeout, "no reply within the timeout and tries")
        // c-ares 1.18.1 also ends a query with ECONNREFUSED when its server closed the connection (a TCP
        // hang-up after a truncated reply), where no socket failed.
        case ARES_ECONNREFUSED: (.error, "the server refused or closed the connection before a usable reply")
        case ARES_EBADRESP: (.badresponse, "c-ares could not read the reply")
        case ARES_ESERVFAIL: (.servfail, "the server said SERVFAIL")
        case ARES_EREFUSED: (.refused, "the server said REFUSED")
        case ARES_ENOTFOUND: (.nxdomain, "the name does not exist")
        case ARES_ENODATA: (.nodata, "no record of that type")
        case ARES_EFORMERR: (.error, "the server said FORMERR")
        case ARES_ENOTIMP: (.error, "the server said NOTIMP")
        case ARES_EDESTRUCTION, ARES_ECANCELLED: (.error, "the resolver was shut down")
        case ARES_ENOMEM: (.error, "out of memory")
        default: (.error, "c-ares status \(status): \(String(cString: ares_strerror(status)))")
        }
    }
}
