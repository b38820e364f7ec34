/* Cutting text into fixed buffers without splitting a UTF-8 character:
 * scenario names and labels are the user's, in any script, and the writers
 * (the timeline, the tables, JSON) need whole characters. */
#ifndef PARLEY_CORE_UTF8_H
#define PARLEY_CORE_UTF8_H

#include <stddef.h>

/* The length in bytes of the longest prefix of s that holds at most max bytes
 * and ends between two characters (for "%.*s"). */
int parley__utf8_prefix(const char *s, size_t max);

/* Drops a character left incomplete at the end of s (after a cut by snprintf). */
void parley__utf8_trim(char *s);

#endif
