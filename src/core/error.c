/* The diagnostic list behind parley_error. Adding a diagnostic never fails:
 * when memory or the cap runs out the diagnostic is counted, not lost silently. */
#include "parley/error.h"

#include "alloc.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const char *const status_text[] = {
#define PARLEY__STATUS_TEXT(name, code, text) text,
    PARLEY_STATUS_MAP(PARLEY__STATUS_TEXT)
#undef PARLEY__STATUS_TEXT
};

static const int status_exit[] = {
#define PARLEY__STATUS_EXIT(name, code, text) code,
    PARLEY_STATUS_MAP(PARLEY__STATUS_EXIT)
#undef PARLEY__STATUS_EXIT
};

const char *parley_strerror(parley_status status)
{
    if ((int)status < 0 || status >= PARLEY_STATUS_COUNT)
        return "unknown status";
    return status_text[status];
}

int parley_status_exit_code(parley_status status)
{
    if ((int)status < 0 || status >= PARLEY_STATUS_COUNT)
        return 1;
    return status_exit[status];
}

void parley_error_init(parley_error *err) { memset(err, 0, sizeof *err); }

void parley_error_clear(parley_error *err)
{
    if (!err)
        return;
    parley__free(err->items);
    memset(err, 0, sizeof *err);
}

static parley_diagnostic *next_slot(parley_error *err)
{
    if (err->count >= PARLEY_DIAGNOSTICS_MAX)
        return NULL;
    if (err->count == err->capacity) {
        size_t cap = err->capacity ? err->capacity * 2 : 4;
        if (cap > PARLEY_DIAGNOSTICS_MAX)
            cap = PARLEY_DIAGNOSTICS_MAX;
        parley_diagnostic *grown = parley__realloc_array(err->items, cap, sizeof *grown);
        if (!grown)
            return NULL;
        err->items = grown;
        err->capacity = cap;
    }
    return &err->items[err->count++];
}

parley_status parley_error_add(parley_error *err, parley_status status, const char *where,
                               const char *fmt, ...)
{
    if (!err)
        return status;
    if (err->status == PARLEY_OK)
        err->status = status;
    parley_diagnostic *d = next_slot(err);
    if (!d) {
        err->dropped++;
        return status;
    }
    d->status = status;
    snprintf(d->where, sizeof d->where, "%s", where ? where : "");
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(d->what, sizeof d->what, fmt, ap);
    va_end(ap);
    return status;
}

void parley_error_append(parley_error *dst, parley_error *src)
{
    for (size_t i = 0; i < src->count; i++)
        parley_error_add(dst, src->items[i].status, src->items[i].where, "%s", src->items[i].what);
    if (dst->status == PARLEY_OK)
        dst->status = src->status;
    dst->dropped += src->dropped;
    parley_error_clear(src);
}
