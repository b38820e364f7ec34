/* The one door to the heap. Every allocation in libparley goes through these
 * functions so that a test build (PARLEY_FAULT_INJECTION) can fail the Nth
 * allocation and walk every error path, as Lua's ltests and SQLite's malloc
 * tests do. Array allocations check n * size for overflow. */
#ifndef PARLEY_CORE_ALLOC_H
#define PARLEY_CORE_ALLOC_H

#include <stddef.h>

void *parley__malloc(size_t size);
void *parley__calloc(size_t count, size_t size);
/* Like realloc(p, count * size) but NULL on overflow; p is untouched on failure. */
void *parley__realloc_array(void *p, size_t count, size_t size);
void parley__free(void *p);
/* Copy of s (NULL on failure or when s is NULL); caller frees with parley__free. */
char *parley__strdup(const char *s);
char *parley__strndup(const char *s, size_t n);

#define PARLEY_NEW_ARRAY(type, count) ((type *)parley__calloc((count), sizeof(type)))

#ifdef PARLEY_FAULT_INJECTION
/* Test builds only: the allocation numbered `n` (counting from 1 after this
 * call) and, if `sticky`, every later one fails. n = 0 disables. The counter is
 * thread-local process state on purpose: it exists only in the fault-test build
 * and models the allocator, not parley's state. */
void parley__fault_arm(unsigned long n, int sticky);
/* Allocations attempted since the last arm. */
unsigned long parley__fault_count(void);
/* Whether an injected failure has happened since the last arm. */
int parley__fault_triggered(void);
#endif

#endif
