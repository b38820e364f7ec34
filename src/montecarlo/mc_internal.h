/* Shared between the files of src/montecarlo (not public). */
#ifndef PARLEY_MC_INTERNAL_H
#define PARLEY_MC_INTERNAL_H

#include "parley/montecarlo.h"

#include <stdint.h>

/* Regularised incomplete beta I_x(a, b) (continued fraction, Lentz's method). */
double parley__betainc(double a, double b, double x);
/* Standard normal CDF. */
double parley__normal_cdf(double x);
/* 64-bit FNV-1a, continued from `h` (start with PARLEY__FNV_INIT). */
#define PARLEY__FNV_INIT 0xcbf29ce484222325ULL
uint64_t parley__fnv1a(uint64_t h, const void *data, size_t len);
/* Appends s at buf + *len (the caller sized buf) and keeps it terminated. */
void parley__append(char *buf, size_t *len, const char *s);
/* Fisher-Yates shuffle of 0..m-1 from `rng`. */
void parley__permutation(parley_rng *rng, uint32_t *perm, size_t m);

#endif
