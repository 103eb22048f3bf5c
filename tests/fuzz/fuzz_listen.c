/* Harness: the --listen address parser of `ecometer serve`
 * (eco_http_parse_listen). Invariants: an accepted address has the family
 * its length says, and only 127.0.0.0/8 and ::1 count as loopback, so the
 * "not loopback" warning cannot be skipped by a crafted address. */
#include <arpa/inet.h>
#include <netinet/in.h>

#include "serve/http.h"

#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = fuzz_cstr(data, size);
    struct sockaddr_storage ss;
    socklen_t len = 0;
    int loop = -1;
    struct eco_err err;
    eco_err_clear(&err);
    if (eco_http_parse_listen(s, &ss, &len, &loop, &err) == 0) {
        if (ss.ss_family == AF_INET) {
            const struct sockaddr_in *v4 = (const struct sockaddr_in *)&ss;
            FUZZ_ASSERT(len == sizeof *v4);
            FUZZ_ASSERT(loop == ((ntohl(v4->sin_addr.s_addr) >> 24) == 127));
        } else {
            const struct sockaddr_in6 *v6 = (const struct sockaddr_in6 *)&ss;
            FUZZ_ASSERT(ss.ss_family == AF_INET6 && len == sizeof *v6);
            FUZZ_ASSERT(loop == !!IN6_IS_ADDR_LOOPBACK(&v6->sin6_addr));
        }
    } else {
        FUZZ_ASSERT(err.code == 2 && err.msg[0]);
    }
    free(s);
    return 0;
}
