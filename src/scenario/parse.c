/* From bytes to a JSON tree, defensively: the file size is checked before and
 * while reading, the nesting depth is checked by a linear pre-scan before
 * jansson sees the text (jansson's own limit is 2048 levels, far beyond ours),
 * and jansson rejects NaN, Infinity, overflowing numbers, NUL characters,
 * invalid UTF-8 and (with JSON_REJECT_DUPLICATES) duplicate keys. */
#include "internal.h"

#include "core/alloc.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

/* Scans for the first bracket nested deeper than the limit, outside strings.
 * Line and column are counted as jansson counts them (1-based, characters). */
static bool depth_ok(const char *text, size_t len, int *line, int *col)
{
    int depth = 0, ln = 1, cl = 0;
    bool in_string = false, escaped = false;
    for (size_t i = 0; i < len; i++) {
        unsigned char ch = (unsigned char)text[i];
        if (ch == '\n') {
            ln++;
            cl = 0;
        } else if ((ch & 0xC0) != 0x80) {
            cl++;
        }
        if (in_string) {
            if (escaped)
                escaped = false;
            else if (ch == '\\')
                escaped = true;
            else if (ch == '"')
                in_string = false;
            continue;
        }
        if (ch == '"') {
            in_string = true;
        } else if (ch == '[' || ch == '{') {
            if (++depth > PARLEY_SCENARIO_MAX_DEPTH) {
                *line = ln;
                *col = cl;
                return false;
            }
        } else if (ch == ']' || ch == '}') {
            if (depth > 0)
                depth--;
        }
    }
    return true;
}

parley_status parley__scenario_parse_text(const char *text, size_t len, const char *display,
                                          json_t **out, parley_error *err)
{
    *out = NULL;
    if (len > PARLEY_SCENARIO_MAX_BYTES)
        return parley_error_add(err, PARLEY_ELIMIT, display,
                                "file is %zu bytes; at most %zu (16 MiB)", len,
                                PARLEY_SCENARIO_MAX_BYTES);
    size_t blank = 0;
    while (blank < len && (text[blank] == ' ' || text[blank] == '\t' || text[blank] == '\n' ||
                           text[blank] == '\r'))
        blank++;
    if (blank == len)
        return parley_error_add(err, PARLEY_EINPUT, display,
                                "syntax error: empty file (a scenario is a JSON object)");
    int line = 0, col = 0;
    if (!depth_ok(text, len, &line, &col)) {
        char where[PARLEY_WHERE_MAX];
        snprintf(where, sizeof where, "%s:%d:%d", display, line, col);
        return parley_error_add(err, PARLEY_ELIMIT, where,
                                "nesting deeper than %d levels of arrays and objects",
                                PARLEY_SCENARIO_MAX_DEPTH);
    }
    json_error_t jerr;
    json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
    if (!root) {
        char where[PARLEY_WHERE_MAX];
        snprintf(where, sizeof where, "%s:%d:%d", display, jerr.line, jerr.column);
        if (json_error_code(&jerr) == json_error_out_of_memory)
            return parley_error_add(err, PARLEY_ENOMEM, where, "out of memory");
        return parley_error_add(err, PARLEY_EINPUT, where, "syntax error: %s", jerr.text);
    }
    *out = root;
    return PARLEY_OK;
}

/* Reads at most PARLEY_SCENARIO_MAX_BYTES + 1 bytes: a FIFO or device that
 * never ends is cut off at the limit instead of exhausting memory. */
static parley_status read_file(const char *path, char **text, size_t *len, parley_error *err)
{
    *text = NULL;
    *len = 0;
    FILE *f = fopen(path, "rb");
    if (!f) {
        /* A path that names no readable file is the user's input being wrong
         * (exit 2); anything else is the system failing (exit 1). */
        int e = errno;
        bool user = e == ENOENT || e == ENOTDIR || e == EACCES || e == ENAMETOOLONG || e == ELOOP;
        return parley_error_add(err, user ? PARLEY_EINPUT : PARLEY_EIO, path, "cannot open: %s",
                                strerror(e));
    }
    struct stat st;
    if (fstat(fileno(f), &st) == 0) {
        if (S_ISDIR(st.st_mode)) {
            fclose(f);
            return parley_error_add(err, PARLEY_EINPUT, path, "cannot read: is a directory");
        }
        if (S_ISREG(st.st_mode) && (unsigned long long)st.st_size > PARLEY_SCENARIO_MAX_BYTES) {
            fclose(f);
            return parley_error_add(err, PARLEY_ELIMIT, path,
                                    "file is %llu bytes; at most %zu (16 MiB)",
                                    (unsigned long long)st.st_size, PARLEY_SCENARIO_MAX_BYTES);
        }
    }
    size_t cap = 65536, used = 0;
    char *buf = parley__malloc(cap);
    if (!buf) {
        fclose(f);
        return parley_error_add(err, PARLEY_ENOMEM, path, "out of memory");
    }
    for (;;) {
        if (used == cap) {
            if (cap > PARLEY_SCENARIO_MAX_BYTES)
                break;
            size_t ncap = cap * 2;
            char *grown = parley__realloc_array(buf, ncap, 1);
            if (!grown) {
                parley__free(buf);
                fclose(f);
                return parley_error_add(err, PARLEY_ENOMEM, path, "out of memory");
            }
            buf = grown;
            cap = ncap;
        }
        size_t got = fread(buf + used, 1, cap - used, f);
        used += got;
        if (got == 0)
            break;
    }
    bool failed = ferror(f) != 0;
    int saved = errno;
    fclose(f);
    if (failed) {
        parley__free(buf);
        return parley_error_add(err, PARLEY_EIO, path, "cannot read: %s", strerror(saved));
    }
    if (used > PARLEY_SCENARIO_MAX_BYTES) {
        parley__free(buf);
        return parley_error_add(err, PARLEY_ELIMIT, path,
                                "file is larger than %zu bytes (16 MiB)",
                                PARLEY_SCENARIO_MAX_BYTES);
    }
    *text = buf;
    *len = used;
    return PARLEY_OK;
}

parley_status parley_scenario_load_file(const char *path, parley_scenario **out,
                                        parley_error *err)
{
    *out = NULL;
    char *text = NULL;
    size_t len = 0;
    parley_status st = read_file(path, &text, &len, err);
    if (st != PARLEY_OK)
        return st;
    st = parley_scenario_load_string(text, len, path, out, err);
    parley__free(text);
    return st;
}
