/* cares-ceiling: the least any c-ares wrapper must do, as a yardstick for egressmap's engine.
 *
 * Usage: cares-ceiling SERVER PORT WINDOW NAMES OUT
 * Asks A and AAAA for every name in NAMES (one a line) with ares_query, keeping WINDOW queries in
 * flight on one channel driven by epoll through the socket-state callback (as egressmap does), and
 * writes one line per answered query to OUT: "name type addr...". Prints "answered N" (names with at
 * least one address) and "timeouts N" on stdout.
 * Build: cc -O2 -o cares-ceiling cares-ceiling.c -lcares
 */
#include <ares.h>
#include <arpa/inet.h>
#include <arpa/nameser.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>

struct name { char *text; int types_left; int has_address; };

static ares_channel channel;
static int epfd, in_flight, window, timeouts, answered;
static FILE *out;

static void sock_state(void *data, ares_socket_t fd, int readable, int writable) {
    struct epoll_event ev = { .events = (readable ? EPOLLIN : 0) | (writable ? EPOLLOUT : 0), .data.fd = fd };
    (void)data;
    if (!readable && !writable) { epoll_ctl(epfd, EPOLL_CTL_DEL, fd, &ev); return; }
    if (epoll_ctl(epfd, EPOLL_CTL_MOD, fd, &ev) != 0) epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev);
}

static void answer(void *arg, int status, int timeouts_seen, unsigned char *buf, int len, int type) {
    struct name *name = arg;
    struct ares_addrttl v4[16];
    struct ares_addr6ttl v6[16];
    char text[INET6_ADDRSTRLEN];
    int count = 16;
    (void)timeouts_seen;
    in_flight--;
    if (status == ARES_ETIMEOUT) timeouts++;
    if (status == ARES_SUCCESS) {
        if (type == ns_t_a && ares_parse_a_reply(buf, len, NULL, v4, &count) == ARES_SUCCESS && count > 0) {
            fprintf(out, "%s A", name->text);
            for (int i = 0; i < count; i++)
                fprintf(out, " %s", inet_ntop(AF_INET, &v4[i].ipaddr, text, sizeof text));
            fputc('\n', out);
            name->has_address = 1;
        } else if (type == ns_t_aaaa && ares_parse_aaaa_reply(buf, len, NULL, v6, &count) == ARES_SUCCESS
                   && count > 0) {
            fprintf(out, "%s AAAA", name->text);
            for (int i = 0; i < count; i++)
                fprintf(out, " %s", inet_ntop(AF_INET6, &v6[i].ip6addr, text, sizeof text));
            fputc('\n', out);
            name->has_address = 1;
        }
    }
    if (--name->types_left == 0) {
        answered += name->has_address;
        free(name->text);
        free(name);
    }
}

static void answer_a(void *arg, int status, int t, unsigned char *buf, int len) {
    answer(arg, status, t, buf, len, ns_t_a);
}
static void answer_aaaa(void *arg, int status, int t, unsigned char *buf, int len) {
    answer(arg, status, t, buf, len, ns_t_aaaa);
}

int main(int argc, char **argv) {
    if (argc != 6) { fprintf(stderr, "usage: cares-ceiling SERVER PORT WINDOW NAMES OUT\n"); return 2; }
    window = atoi(argv[3]);
    FILE *names = fopen(argv[4], "r");
    out = fopen(argv[5], "w");
    if (!names || !out || window < 2) { perror("cares-ceiling"); return 2; }
    ares_library_init(ARES_LIB_INIT_ALL);
    struct ares_options options = { 0 };
    options.flags = ARES_FLAG_NOCHECKRESP | ARES_FLAG_NOSEARCH | ARES_FLAG_NOALIASES;
    options.timeout = 2000;
    options.tries = 2;
    options.sock_state_cb = sock_state;
    options.lookups = "b";
    options.resolvconf_path = "/dev/null";
    int mask = ARES_OPT_FLAGS | ARES_OPT_TIMEOUTMS | ARES_OPT_TRIES | ARES_OPT_SOCK_STATE_CB | ARES_OPT_LOOKUPS
        | ARES_OPT_RESOLVCONF | ARES_OPT_NOROTATE;
    if (ares_init_options(&channel, &options, mask) != ARES_SUCCESS) return 1;
    char servers[128];
    snprintf(servers, sizeof servers, "%s:%s", argv[1], argv[2]);
    if (ares_set_servers_ports_csv(channel, servers) != ARES_SUCCESS) return 1;
    epfd = epoll_create1(0);

    char line[512];
    int more = 1;
    struct epoll_event events[64];
    while (more || in_flight > 0) {
        while (more && in_flight + 2 <= window) {
            if (!fgets(line, sizeof line, names)) { more = 0; break; }
            line[strcspn(line, "\r\n")] = 0;
            if (!line[0]) continue;
            struct name *name = calloc(1, sizeof *name);
            name->text = strdup(line);
            name->types_left = 2;
            in_flight += 2;
            ares_query(channel, name->text, ns_c_in, ns_t_a, answer_a, name);
            ares_query(channel, name->text, ns_c_in, ns_t_aaaa, answer_aaaa, name);
        }
        struct timeval tv, *next = ares_timeout(channel, NULL, &tv);
        int ms = next ? (int)(next->tv_sec * 1000 + (next->tv_usec + 999) / 1000) : -1;
        // Never sleep unbounded while queries are out: under heavy load a run of 1.18.1 once sat in
        // epoll_wait with every reply in and no timeout armed, until a signal woke it.
        if (ms < 0 || ms > 100) ms = 100;
        int count = epoll_wait(epfd, events, 64, ms);
        if (count <= 0) { ares_process_fd(channel, ARES_SOCKET_BAD, ARES_SOCKET_BAD); continue; }
        for (int i = 0; i < count; i++) {
            int fd = events[i].data.fd;
            ares_process_fd(channel, events[i].events & (EPOLLIN | EPOLLERR | EPOLLHUP) ? fd : ARES_SOCKET_BAD,
                            events[i].events & EPOLLOUT ? fd : ARES_SOCKET_BAD);
        }
    }
    ares_destroy(channel);
    ares_library_cleanup();
    fclose(out);
    printf("answered %d\ntimeouts %d\n", answered, timeouts);
    return 0;
}
