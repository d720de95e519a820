// Generated from Resolvers/*.yaml by scripts/embed-defaults.py; do not edit. A test keeps it in sync.

/// The bundled resolver profiles, compiled in: SwiftPM resource bundles are not found on Linux once the
/// binary is copied away from `.build`.
enum EmbeddedResolvers {
    static let files: [String: String] = [
        "public": ####"""
# Public resolvers of three operators, over IPv4 and IPv6, every one asked: the union covers geo-DNS,
# where each resolver may be steered to different addresses.
profile: 1
description: Cloudflare, Google and Quad9 over IPv4 and IPv6, every server asked (union)
mode: union
servers:
  - 1.1.1.1
  - 1.0.0.1
  - "[2606:4700:4700::1111]:53"
  - 8.8.8.8
  - 8.8.4.4
  - "[2001:4860:4860::8888]:53"
  - 9.9.9.9
  - "[2620:fe::fe]:53"
timeout: 2s
tries: 2
rounds: 1
window: 50
channels: 1
"""####,
        "system": ####"""
# The machine's own resolvers, read from /etc/resolv.conf: the default of `egressmap run` and `resolve`.
profile: 1
description: The nameservers in /etc/resolv.conf, the next asked only when one fails
mode: failover
servers: system
timeout: 2s
tries: 2
rounds: 1
window: 50
channels: 1
"""####,
        "testworld": ####"""
# The test world's recursive resolver (unbound on a loopback port chosen at start; see scripts/world).
# Used by the integration tests; EGRESSMAP_TEST_DNS is set by scripts/world/with-world.sh.
profile: 1
description: The test world's unbound on loopback
mode: union
servers: ["${EGRESSMAP_TEST_DNS}"]
timeout: 1s
tries: 2
rounds: 1
window: 50
channels: 1
"""####,
    ]
}
