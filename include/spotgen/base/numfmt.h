/* numfmt.h - hand-written number and date formatting for the hot path
 * (no printf per value), and the civil-calendar arithmetic behind dates. */
#ifndef SPOTGEN_NUMFMT_H
#define SPOTGEN_NUMFMT_H

#include <stddef.h>
#include <stdint.h>

/*! sg_fmt_u64() : decimal digits of `v` at `out` (no NUL). @return : length. */
size_t sg_fmt_u64(char *out, uint64_t v);

/*! sg_fmt_i64() : like sg_fmt_u64, with a leading '-' for negatives. */
size_t sg_fmt_i64(char *out, int64_t v);

/*! sg_parse_decimal() : the n bytes at s when they are [-]D[.D] with 1 to
 *  15 digits in all (what sg_fmt_i64 and sg_fmt_fixed write), as strtod
 *  would read them (m / 10^k of two exact doubles: correctly rounded).
 *  @return : 1, or 0 for anything else (a caller may try strtod). */
int sg_parse_decimal(const char *s, size_t n, double *out);

/*! sg_parse_date() : the n bytes at s when they are a date YYYY-MM-DD
 *  that exists, as days since 1970-01-01 in *days. @return : 1, or 0. */
int sg_parse_date(const char *s, size_t n, int32_t *days);

/*! sg_fmt_fixed() : `v` / 10^decimals with exactly `decimals` digits after
 *  the point ("-5.883", "0.0420"). @return : length. */
size_t sg_fmt_fixed(char *out, int64_t v, int decimals);

/*! sg_parse_timestamp() : the n bytes at s when they are a time
 *  YYYY-MM-DD HH:MM:SS (or with a T between), as microseconds since
 *  1970-01-01 00:00:00 UTC in *micros. @return : 1, or 0 when they are not. */
int sg_parse_timestamp(const char *s, size_t n, int64_t *micros);

/*! sg_fmt_timestamp() : YYYY-MM-DD HH:MM:SS of `micros` since 1970-01-01
 *  00:00:00 UTC (the whole seconds). @return : 19. */
size_t sg_fmt_timestamp(char *out, int64_t micros);

/*! sg_fmt_date() : YYYY-MM-DD of `days` since 1970-01-01. @return : 10. */
size_t sg_fmt_date(char *out, int32_t days);

/*! sg_days_from_civil() : days since 1970-01-01 of a proleptic Gregorian date. */
int32_t sg_days_from_civil(int y, unsigned m, unsigned d);

/*! sg_civil_from_days() : the date of `days` since 1970-01-01. */
void sg_civil_from_days(int32_t days, int *y, unsigned *m, unsigned *d);

/*! sg_fmt_group() : `v` with thousands separators ("1,000,000") into `out`
 *  (NUL-terminated, at least 27 bytes). @return : `out`. */
char *sg_fmt_group(char *out, uint64_t v);

#endif
