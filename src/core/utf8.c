/* See utf8.h. Only the byte patterns matter here: a continuation byte is
 * 10xxxxxx, and a lead byte says how many bytes its character has. */
#include "core/utf8.h"

#include <string.h>

static int continuation(unsigned char c) { return (c & 0xC0) == 0x80; }

int parley__utf8_prefix(const char *s, size_t max)
{
    size_t n = strnlen(s, max);
    if (n == max) /* s goes on: back off a character the cut would split */
        while (n > 0 && continuation((unsigned char)s[n]))
            n--;
    return (int)n;
}

void parley__utf8_trim(char *s)
{
    size_t n = strlen(s), lead = n;
    while (lead > 0 && continuation((unsigned char)s[lead - 1]))
        lead--;
    if (lead == 0)
        return;
    unsigned char c = (unsigned char)s[lead - 1];
    size_t want = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
    if (n - (lead - 1) < want)
        s[lead - 1] = '\0';
}
