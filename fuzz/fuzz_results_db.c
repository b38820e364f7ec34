/* Fuzz target: the results database reader (`parley summary`, `parley
 * compare`; built again with FUZZ_REPLAY as fuzz_replay, `parley replay`). A results database is a file people keep, copy and edit, so its
 * contents are hostile input too. The input is either raw database bytes (it
 * starts with "SQLite format 3") or, more usefully, SQL that builds the
 * database: the seeds are dumps of real sweeps (`sqlite3 FILE .dump`), and
 * mutations give missing tables and columns, NULLs, wrong types, negative and
 * huge counts, duplicate cells. The SQL may only create and fill tables and
 * set the application id and user version (an authorizer refuses ATTACH, other
 * PRAGMAs and the rest) and is stopped after a fixed
 * amount of work, so that the target tests parley, not SQLite. */
#include "fuzz_common.h"

#include "parley/montecarlo.h"
#ifdef FUZZ_REPLAY
#include "parley/report.h"
#endif

#include <sqlite3.h>
#include <string.h>
#include <unistd.h>

static int allow_building(void *user, int action, const char *a, const char *b, const char *c,
                          const char *d)
{
    (void)user;
    (void)a;
    (void)b;
    (void)c;
    (void)d;
    switch (action) {
    case SQLITE_CREATE_TABLE:
    case SQLITE_CREATE_INDEX:
    case SQLITE_CREATE_VIEW:
    case SQLITE_DROP_TABLE:
    case SQLITE_DROP_INDEX:
    case SQLITE_DROP_VIEW:
    case SQLITE_ALTER_TABLE:
    case SQLITE_INSERT:
    case SQLITE_UPDATE:
    case SQLITE_DELETE:
    case SQLITE_READ:
    case SQLITE_SELECT:
    case SQLITE_FUNCTION:
    case SQLITE_RECURSIVE:
    case SQLITE_TRANSACTION:
    case SQLITE_SAVEPOINT:
        return SQLITE_OK;
    case SQLITE_PRAGMA:
        /* The two header fields a results database is recognised by. */
        return a && (strcmp(a, "application_id") == 0 || strcmp(a, "user_version") == 0)
                   ? SQLITE_OK
                   : SQLITE_DENY;
    default:
        return SQLITE_DENY;
    }
}

/* Stops runaway SQL (a recursive CTE, a cross join) after ~10^6 VM steps. */
static int stop_runaway(void *user)
{
    int *ticks = user;
    return ++*ticks > 1000;
}

static int build_from_sql(const char *path, const uint8_t *data, size_t size)
{
    char *sql = malloc(size + 1);
    if (!sql)
        return 0;
    memcpy(sql, data, size);
    sql[size] = '\0';
    sqlite3 *db = NULL;
    int ok = 0;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL) == SQLITE_OK) {
        int ticks = 0;
        sqlite3_limit(db, SQLITE_LIMIT_ATTACHED, 0);
        sqlite3_limit(db, SQLITE_LIMIT_LENGTH, 1 << 20);
        sqlite3_set_authorizer(db, allow_building, NULL);
        sqlite3_progress_handler(db, 1000, stop_runaway, &ticks);
        /* Statement by statement, skipping the ones that fail: a half-built
         * database is a fine input. */
        const char *next = sql;
        while (*next && ticks <= 1000) {
            sqlite3_stmt *stmt = NULL;
            const char *tail = NULL;
            if (sqlite3_prepare_v2(db, next, -1, &stmt, &tail) != SQLITE_OK || !tail || tail <= next) {
                sqlite3_finalize(stmt);
                const char *semi = strchr(next, ';');
                if (!semi)
                    break;
                next = semi + 1;
                continue;
            }
            if (stmt)
                while (sqlite3_step(stmt) == SQLITE_ROW) {
                }
            sqlite3_finalize(stmt);
            next = tail;
        }
        sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
        ok = 1;
    }
    sqlite3_close(db);
    free(sql);
    return ok;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[] = "/tmp/parley-fuzz-db-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0)
        return 0;
    int ok = 1;
    if (size >= 16 && memcmp(data, "SQLite format 3", 16) == 0)
        ok = write(fd, data, size) == (ssize_t)size;
    close(fd);
    if (ok && !(size >= 16 && memcmp(data, "SQLite format 3", 16) == 0))
        ok = build_from_sql(path, data, size);
    if (ok) {
        parley_error err;
        parley_error_init(&err);
        parley_summary_set *set = NULL;
        parley_status st = parley_results_summary(path, &set, &err);
        if (st != PARLEY_OK) {
            fuzz_check_failure(st, &err);
        } else {
            FUZZ_CHECK(set != NULL, "a successful summary returned nothing");
            for (size_t c = 0; c < set->n_cells; c++)
                FUZZ_CHECK(set->cells[c].label != NULL, "a cell without a label");
        }
        parley_summary_set_free(set);
        parley_error_clear(&err);

        parley_contrast contrasts[PARLEY_CONTRASTS];
        char *label_a = NULL, *label_b = NULL;
        st = parley_results_compare(path, "0", "1", contrasts, &label_a, &label_b, &err);
        if (st != PARLEY_OK)
            fuzz_check_failure(st, &err);
        parley_mc_string_free(label_a);
        parley_mc_string_free(label_b);
        parley_error_clear(&err);

#ifdef FUZZ_REPLAY
        /* `parley replay` (target fuzz_replay): the plan read back, the
         * scenario the database names found and checked, then a run replayed. */
        parley_replay *replay = NULL;
        st = parley_replay_open(path, &replay, &err);
        if (st == PARLEY_OK) {
            int64_t draw = -1, run = -1;
            if (parley_replay_find(replay, 0, -1, "treaty", &draw, &run, &err) == PARLEY_OK)
                FUZZ_CHECK(draw >= 0 && run >= 0, "a found run has no draw or run");
            parley_error_clear(&err);
            bool same = false;
            st = parley_replay_run(replay, 0, 0, 0, &same, &err);
            FUZZ_CHECK(st != PARLEY_OK || parley_replay_sim(replay) != NULL,
                       "a successful replay holds no run");
        }
        if (st != PARLEY_OK)
            fuzz_check_failure(st, &err);
        parley_replay_free(replay);
        parley_error_clear(&err);
#endif
    }
    unlink(path);
    return 0;
}
