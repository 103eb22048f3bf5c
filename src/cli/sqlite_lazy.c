/* SQLite, loaded on first use by the ecometer executables.
 *
 * Only the history (src/store/) calls SQLite, and many commands never touch
 * it (version, estimate, carbon, flops, sensors, run --no-history...), yet
 * linking -lsqlite3 made every start resolve the ~250 symbols of SQLite's
 * extension table: a third of `ecometer run`'s start-up instructions
 * (docs/PERFORMANCE.md, "Start-up"). The executables are linked with this file
 * instead of -lsqlite3: each function below has SQLite's own name and
 * prototype (from <sqlite3.h>), so src/store/ is unchanged; the first call
 * dlopens libsqlite3.so.0 and every later call goes straight to it.
 * libecometer.a/.so and the tests link -lsqlite3 as before.
 * Add a wrapper here when src/store/ starts using another sqlite3_ function
 * (the link of build/ecometer fails until then). */
#include <dlfcn.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>

#define SQLITE_LIB "libsqlite3.so.0"

/* X(return type, name, parameters, arguments) for every function used. */
#define SQLITE_FUNCTIONS(X)                                                                        \
    X(int, sqlite3_open_v2, (const char *f, sqlite3 **db, int fl, const char *vfs), (f, db, fl, vfs)) \
    X(int, sqlite3_close, (sqlite3 * db), (db))                                                    \
    X(int, sqlite3_busy_timeout, (sqlite3 * db, int ms), (db, ms))                                 \
    X(int, sqlite3_db_readonly, (sqlite3 * db, const char *name), (db, name))                      \
    X(const char *, sqlite3_errmsg, (sqlite3 * db), (db))                                          \
    X(const char *, sqlite3_errstr, (int rc), (rc))                                                \
    X(int, sqlite3_exec,                                                                           \
      (sqlite3 * db, const char *sql, int (*cb)(void *, int, char **, char **), void *arg,          \
       char **err),                                                                                \
      (db, sql, cb, arg, err))                                                                     \
    X(int, sqlite3_prepare_v2,                                                                     \
      (sqlite3 * db, const char *sql, int n, sqlite3_stmt **st, const char **tail),                 \
      (db, sql, n, st, tail))                                                                      \
    X(int, sqlite3_step, (sqlite3_stmt * st), (st))                                                \
    X(int, sqlite3_reset, (sqlite3_stmt * st), (st))                                               \
    X(int, sqlite3_finalize, (sqlite3_stmt * st), (st))                                            \
    X(int, sqlite3_clear_bindings, (sqlite3_stmt * st), (st))                                      \
    X(int, sqlite3_bind_text,                                                                      \
      (sqlite3_stmt * st, int i, const char *v, int n, void (*d)(void *)), (st, i, v, n, d))       \
    X(int, sqlite3_bind_int, (sqlite3_stmt * st, int i, int v), (st, i, v))                        \
    X(int, sqlite3_bind_int64, (sqlite3_stmt * st, int i, sqlite3_int64 v), (st, i, v))            \
    X(int, sqlite3_bind_double, (sqlite3_stmt * st, int i, double v), (st, i, v))                  \
    X(const unsigned char *, sqlite3_column_text, (sqlite3_stmt * st, int i), (st, i))             \
    X(double, sqlite3_column_double, (sqlite3_stmt * st, int i), (st, i))                          \
    X(int, sqlite3_column_int, (sqlite3_stmt * st, int i), (st, i))                                \
    X(sqlite3_int64, sqlite3_column_int64, (sqlite3_stmt * st, int i), (st, i))

static struct {
#define FIELD(ret, name, params, args) ret(*name) params;
    SQLITE_FUNCTIONS(FIELD)
#undef FIELD
    void (*sqlite3_free)(void *);
} api;

static pthread_once_t once = PTHREAD_ONCE_INIT;

static void load_sym(void *lib, const char *name, void **slot)
{
    *slot = dlsym(lib, name);
    if (!*slot) {
        fprintf(stderr, "ecometer: %s has no %s: %s\n", SQLITE_LIB, name, dlerror());
        fprintf(stderr, "ecometer: hint: install SQLite 3 (Debian: apt-get install libsqlite3-0)\n");
        exit(1);
    }
}

/* Load the library and every function at once, so later calls from any
 * thread only read the table (pthread_once orders the writes before). */
static void load(void)
{
    void *lib = dlopen(SQLITE_LIB, RTLD_NOW | RTLD_LOCAL);
    if (!lib) {
        fprintf(stderr, "ecometer: the history needs SQLite, which cannot be loaded: %s\n", dlerror());
        fprintf(stderr, "ecometer: hint: install SQLite 3 (Debian: apt-get install libsqlite3-0), "
                        "or use --no-history\n");
        exit(1);
    }
#define LOAD(ret, name, params, args) load_sym(lib, #name, (void **)&api.name);
    SQLITE_FUNCTIONS(LOAD)
#undef LOAD
    load_sym(lib, "sqlite3_free", (void **)&api.sqlite3_free);
}

#define WRAP(ret, name, params, args)                                                              \
    ret name params                                                                                \
    {                                                                                              \
        pthread_once(&once, load);                                                                 \
        return api.name args;                                                                      \
    }
SQLITE_FUNCTIONS(WRAP)
#undef WRAP

void sqlite3_free(void *p)
{
    pthread_once(&once, load);
    api.sqlite3_free(p);
}
