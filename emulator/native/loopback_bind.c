/*
 * Keeps every server of the embedded emulator on loopback.
 *
 * LocalStack's Twisted gateway ignores the host in GATEWAY_LISTEN for IPv4 ("TODO: interface =
 * host?" in localstack-core 2026.3.0), DynamoDB Local (Jetty, started with -port only) has no bind
 * option, and kinesis-mock hard-codes 0.0.0.0: all three would listen on every interface. labkit
 * preloads this library into LocalStack (LD_PRELOAD), and so into every process LocalStack starts;
 * its bind() turns a stream socket's wildcard address into loopback:
 *
 *     0.0.0.0 -> 127.0.0.1        :: -> ::ffff:127.0.0.1 (a dual-stack socket: IPv4 loopback only)
 *
 * Any other address, and every datagram socket, is bound as asked.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

typedef int (*bind_fn)(int, const struct sockaddr *, socklen_t);

static int is_stream(int fd) {
    int type = 0;
    socklen_t size = sizeof type;
    return getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &size) == 0 && type == SOCK_STREAM;
}

int bind(int fd, const struct sockaddr *addr, socklen_t len) {
    static bind_fn real_bind;
    if (!real_bind) {
        real_bind = (bind_fn)dlsym(RTLD_NEXT, "bind");
    }
    if (addr && is_stream(fd)) {
        if (addr->sa_family == AF_INET && len >= sizeof(struct sockaddr_in)) {
            struct sockaddr_in v4;
            memcpy(&v4, addr, sizeof v4);
            if (v4.sin_addr.s_addr == htonl(INADDR_ANY)) {
                v4.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
                return real_bind(fd, (const struct sockaddr *)&v4, sizeof v4);
            }
        } else if (addr->sa_family == AF_INET6 && len >= sizeof(struct sockaddr_in6)) {
            struct sockaddr_in6 v6;
            memcpy(&v6, addr, sizeof v6);
            if (IN6_IS_ADDR_UNSPECIFIED(&v6.sin6_addr)) {
                static const unsigned char mapped_loopback[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 127, 0, 0, 1};
                memcpy(&v6.sin6_addr, mapped_loopback, sizeof mapped_loopback);
                return real_bind(fd, (const struct sockaddr *)&v6, sizeof v6);
            }
        }
    }
    return real_bind(fd, addr, len);
}
