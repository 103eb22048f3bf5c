/* The public C API in its two modes: standalone (its own meter on this
 * machine's sensors) and under `ecometer run` (datagrams to ECOMETER_SOCKET). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "ecometer.h"
#include "meter/markers.h"
#include "meter/result.h"
#include "store/history.h"
#include "test.h"

ECO_TEST(api_sends_markers_to_the_run_socket)
{
    char path[512];
    snprintf(path, sizeof path, "%s/m.sock", eco_test_tmpdir());
    int fd = socket(AF_UNIX, SOCK_DGRAM, 0);
    struct sockaddr_un a = {.sun_family = AF_UNIX};
    CHECK(strlen(path) < sizeof a.sun_path);
    memcpy(a.sun_path, path, strlen(path) + 1);
    CHECK(bind(fd, (struct sockaddr *)&a, sizeof a) == 0);
    setenv("ECOMETER_SOCKET", path, 1);
    char errbuf[256];
    eco_session *s = eco_session_start(NULL, errbuf, sizeof errbuf);
    CHECK(s != NULL);
    CHECK(eco_region_begin(s, "epoch-1") == 0);
    CHECK(eco_items(s, 5460) == 0);
    CHECK(eco_region_end(s, "epoch-1") == 0);
    CHECK(eco_region_begin(s, "bad\nname") == -1);
    CHECK(eco_items(s, -1) == -1);
    CHECK_INT(eco_session_set_label(s, "teacher", "kd", NULL), 1); /* the enclosing run's --name labels it */
    struct eco_summary sum;
    CHECK(eco_session_stop(s, &sum) == 0);
    CHECK(sum.energy_j < 0); /* known to the enclosing run, not here */
    const char *want[] = {"begin epoch-1", "items 5460", "end epoch-1"};
    for (int k = 0; k < 3; k++) {
        char buf[300];
        ssize_t n = recv(fd, buf, sizeof buf - 1, MSG_DONTWAIT);
        CHECK(n > 0);
        buf[n] = '\0';
        CHECK_STR(buf, want[k]);
        struct eco_marker m;
        CHECK(eco_marker_parse(buf, (size_t)n, &m) == 0);
    }
    CHECK(recv(fd, errbuf, sizeof errbuf, MSG_DONTWAIT) < 0);
    close(fd);
    unsetenv("ECOMETER_SOCKET");
}

ECO_TEST(api_unreachable_socket_is_an_error_with_message)
{
    setenv("ECOMETER_SOCKET", "/nonexistent/ecometer.sock", 1);
    char errbuf[256] = "";
    CHECK(eco_session_start(NULL, errbuf, sizeof errbuf) == NULL);
    CHECK(strstr(errbuf, "/nonexistent/ecometer.sock") != NULL);
    unsetenv("ECOMETER_SOCKET");
}

ECO_TEST(api_standalone_session_measures_the_machine)
{
    /* The static server fixture (RAPL counters that do not move: 0 W,
     * measured) and one stand-in NVIDIA GPU drawing 100 W. */
    char lib[1024], sys[1024];
    snprintf(lib, sizeof lib, "%s/build/tests/libnvml-standin.so", eco_test_srcdir());
    if (access(lib, R_OK) != 0)
        ECO_SKIP("stand-in NVML library not built (%s)", lib);
    snprintf(sys, sizeof sys, "%s/tests/fixtures/intel-2s-server/sys", eco_test_srcdir());
    unsetenv("ECOMETER_SOCKET");
    setenv("ECOMETER_NVML_LIB", lib, 1);
    setenv("ECOMETER_SYSFS_ROOT", sys, 1);
    setenv("NVML_STANDIN_POWER_MW", "100000", 1);
    char db[1024];
    snprintf(db, sizeof db, "%s/api-history.db", eco_test_tmpdir());
    setenv("ECOMETER_DB", db, 1);
    char errbuf[256];
    struct eco_session_options opt = {.interval_s = 0.02, .region = "FR"};
    eco_session *s = eco_session_start(&opt, errbuf, sizeof errbuf);
    CHECK(s != NULL);
    CHECK(eco_session_describe(s, "c: unit test") == 0);
    CHECK(eco_region_begin(s, "work") == 0);
    usleep(300000);
    CHECK(eco_items(s, 10) == 0);
    CHECK(eco_region_end(s, "  work ") == 0); /* same name rules as the socket */
    CHECK(eco_region_end(s, "work") == -1);   /* unmatched */
    CHECK(eco_region_begin(s, "bad\tname") == -1);
    /* the region's figures: 100 W over its duration, all on gpu-0 */
    struct eco_region_summary rs;
    struct eco_domain_summary rd[16];
    unsigned rn = 0;
    CHECK(eco_region_figures(s, "work", &rs, rd, 16, &rn) == 0);
    CHECK(rs.duration_s >= 0.29 && rs.items == 10 && rn == 7);
    CHECK_NEAR(rs.energy_j, 100 * rs.duration_s, 0.05);
    CHECK(rs.co2e_g > 0 && rs.estimated_j == 0);
    for (unsigned i = 0; i < rn && i < 16; i++)
        if (strcmp(rd[i].name, "gpu-0") == 0)
            CHECK_NEAR(rd[i].energy_j, rs.energy_j, 1e-9);
    CHECK(eco_region_figures(s, "never", &rs, NULL, 0, NULL) == -1);
    struct eco_summary sum;
    struct eco_domain_summary dom[16];
    unsigned nd = 0;
    CHECK(eco_session_stop_domains(s, &sum, dom, 16, &nd) == 0);
    CHECK(sum.duration_s >= 0.29);
    /* 100 W over the sampled window, which ends at the last sample */
    CHECK_NEAR(sum.energy_j, 100 * sum.duration_s, 0.02);
    /* the board's 6 RAPL domains (0 W) and the GPU: the counted ones add up to the total */
    CHECK(nd == 7);
    double counted = 0;
    int gpu = 0;
    for (unsigned i = 0; i < nd && i < 16; i++) {
        CHECK_INT(dom[i].estimated, 0);
        if (dom[i].counted)
            counted += dom[i].energy_j;
        if (strcmp(dom[i].name, "gpu-0") == 0) {
            gpu = 1;
            CHECK_NEAR(dom[i].energy_j, sum.energy_j, 1e-9);
        }
    }
    CHECK(gpu);
    CHECK_NEAR(counted, sum.energy_j, 1e-9);
    /* stored in the history, complete, with the description as its command */
    struct eco_err err;
    eco_err_clear(&err);
    struct eco_history *h = eco_history_open(db, &err);
    CHECK(h != NULL);
    struct eco_run_result r;
    memset(&r, 0, sizeof r);
    if (h && eco_history_load(h, "latest", &r, &err) == 0) {
        CHECK_STR(r.command, "c: unit test");
        CHECK_STR(r.kind, "session");
        CHECK_INT(r.complete, 1);
        CHECK_NEAR(r.total_energy_j, sum.energy_j, 1e-6);
        eco_run_result_free(&r);
    } else {
        CHECK(!"the session is not in the history");
    }
    eco_history_close(h);
    unsetenv("ECOMETER_DB");
    CHECK_INT(sum.estimated, 0);
    CHECK(sum.co2e_g > 0);
    CHECK(sum.co2e_g < sum.energy_j / 3.6e6 * 200); /* France's grid is low-carbon */
    struct eco_session_options bad = {.interval_s = 0.02, .region = "Atlantis"};
    CHECK(eco_session_start(&bad, errbuf, sizeof errbuf) == NULL);
    CHECK(strlen(errbuf) > 0);
}
