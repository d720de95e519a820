import CAres
#if canImport(Glibc)
    import Glibc
#endif

/// The one place where a c-ares status becomes an `Outcome` and a readable reason.
enum AresStatus {
    /// The outcome and reason of a query c-ares ended with `status`. `socketError` is the errno of the
    /// latest hard failure of the channel's sockets (0 for none): c-ares ends a query with ECONNREFUSED
    /// for any of them, and which one it was (a refused port, no route, a firewall on this host) is what a
    /// firewall team needs to know.
    static func outcome(for status: Int32, socketError: Int32 = 0) -> (Outcome, String) {
        if status == ARES_ECONNREFUSED, socketError != 0 {
            return (.error, "the server could not be reached: \(unreachableReason(socketError))")
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

    /// Why a socket failed, in words, with the errno's name for a search.
    static func unreachableReason(_ error: Int32) -> String {
        switch error {
        case ECONNREFUSED: "connection refused (ECONNREFUSED: nothing listens on that port, or a firewall rejects)"
        case ENETUNREACH: "network unreachable (ENETUNREACH: no route to it from this host)"
        case EHOSTUNREACH: "host unreachable (EHOSTUNREACH: a router or firewall on the way rejects it)"
        case EPERM, EACCES: "not permitted (\(error == EPERM ? "EPERM" : "EACCES"): a firewall on this host blocks it)"
        case ECONNRESET: "connection reset (ECONNRESET)"
        default: "\(String(cString: strerror(error))) (errno \(error))"
        }
    }
}
