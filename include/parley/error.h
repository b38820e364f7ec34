/* Errors as values: every fallible parley function returns a parley_status and
 * fills a caller-owned parley_error with what went wrong, where (file:line:column
 * or a JSON path) and why. A loader may add many diagnostics before it fails, so
 * that a user sees every problem in a file at once. */
#ifndef PARLEY_ERROR_H
#define PARLEY_ERROR_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* One list of status codes; parley_strerror and the CLI's exit codes derive
 * from it. X(name, exit_code, text): exit 2 is "the input was bad". */
#define PARLEY_STATUS_MAP(X)                                                  \
    X(OK, 0, "success")                                                       \
    X(EINPUT, 2, "invalid input")                                             \
    X(ELIMIT, 2, "input exceeds a documented limit")                          \
    X(EUSAGE, 2, "invalid command-line usage")                                \
    X(ENOMEM, 1, "out of memory")                                             \
    X(EIO, 1, "input/output error")                                           \
    X(ENUMERIC, 1, "numerical failure")                                       \
    X(EINTERNAL, 1, "internal error")

typedef enum parley_status {
#define PARLEY__STATUS_ENUM(name, code, text) PARLEY_##name,
    PARLEY_STATUS_MAP(PARLEY__STATUS_ENUM)
#undef PARLEY__STATUS_ENUM
    PARLEY_STATUS_COUNT
} parley_status;

/* Human-readable name of a status ("invalid input"); never NULL. */
const char *parley_strerror(parley_status status);

/* The process exit code the CLI uses for a status: 0, 1 or 2. */
int parley_status_exit_code(parley_status status);

#define PARLEY_WHERE_MAX 512
#define PARLEY_WHAT_MAX 768
/* Diagnostics kept per error; further ones are counted in `dropped`. */
#define PARLEY_DIAGNOSTICS_MAX 200

typedef struct parley_diagnostic {
    parley_status status;
    char where[PARLEY_WHERE_MAX]; /* "file:12:5" or "file: actors[3].capability" */
    char what[PARLEY_WHAT_MAX];   /* the problem and the rule it breaks */
} parley_diagnostic;

/* Caller-owned; initialise with parley_error_init (or = {0}) and release with
 * parley_error_clear. `status` is the first non-OK status added. */
typedef struct parley_error {
    parley_status status;
    size_t count;
    size_t capacity;
    size_t dropped; /* diagnostics not stored (limit reached or no memory) */
    parley_diagnostic *items;
} parley_error;

void parley_error_init(parley_error *err);
/* Frees the diagnostics and resets to PARLEY_OK. */
void parley_error_clear(parley_error *err);

/* Adds one diagnostic; `where` may be NULL or "". Returns `status` so that a
 * caller can write `return parley_error_add(err, PARLEY_EINPUT, ...)`.
 * Never fails: without memory the diagnostic is counted in `dropped`. */
parley_status parley_error_add(parley_error *err, parley_status status, const char *where,
                               const char *fmt, ...)
#if defined(__GNUC__) || defined(__clang__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

/* Moves all of `src`'s diagnostics to the end of `dst`, leaving `src` clear. */
void parley_error_append(parley_error *dst, parley_error *src);

#ifdef __cplusplus
}
#endif
#endif
