/* Allocation wrappers with overflow checks and, in test builds, fault
 * injection. See alloc.h for why everything goes through here. */
#include "alloc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#ifdef PARLEY_FAULT_INJECTION
static _Thread_local unsigned long fault_target;
static _Thread_local unsigned long fault_seen;
static _Thread_local int fault_sticky;
static _Thread_local int fault_fired;

void parley__fault_arm(unsigned long n, int sticky)
{
    fault_target = n;
    fault_seen = 0;
    fault_sticky = sticky;
    fault_fired = 0;
}

unsigned long parley__fault_count(void) { return fault_seen; }
int parley__fault_triggered(void) { return fault_fired; }

static int should_fail(void)
{
    if (fault_target == 0)
        return 0;
    fault_seen++;
    if (fault_seen == fault_target || (fault_sticky && fault_seen > fault_target)) {
        fault_fired = 1;
        return 1;
    }
    return 0;
}
#else
static int should_fail(void) { return 0; }
#endif

void *parley__malloc(size_t size)
{
    if (should_fail())
        return NULL;
    return malloc(size ? size : 1);
}

void *parley__calloc(size_t count, size_t size)
{
    if (size != 0 && count > SIZE_MAX / size)
        return NULL;
    if (should_fail())
        return NULL;
    if (count == 0 || size == 0)
        return calloc(1, 1);
    return calloc(count, size);
}

void *parley__realloc_array(void *p, size_t count, size_t size)
{
    if (size != 0 && count > SIZE_MAX / size)
        return NULL;
    if (should_fail())
        return NULL;
    size_t bytes = count * size;
    return realloc(p, bytes ? bytes : 1);
}

void parley__free(void *p) { free(p); }

char *parley__strndup(const char *s, size_t n)
{
    if (!s)
        return NULL;
    size_t len = strlen(s);
    if (len > n)
        len = n;
    char *copy = parley__malloc(len + 1);
    if (!copy)
        return NULL;
    memcpy(copy, s, len);
    copy[len] = '\0';
    return copy;
}

char *parley__strdup(const char *s) { return s ? parley__strndup(s, strlen(s)) : NULL; }
