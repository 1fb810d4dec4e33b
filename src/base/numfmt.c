/* numfmt.c - number and date formatting (see numfmt.h). */
#include "spotgen/base/numfmt.h"

#include <string.h>

static const char DIGITS2[] =
  "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
  "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
  "8081828384858687888990919293949596979899";

static const uint64_t P10[20] = {1ull, 10ull, 100ull, 1000ull, 10000ull, 100000ull, 1000000ull,
                                 10000000ull, 100000000ull, 1000000000ull, 10000000000ull,
                                 100000000000ull, 1000000000000ull, 10000000000000ull,
                                 100000000000000ull, 1000000000000000ull, 10000000000000000ull,
                                 100000000000000000ull, 1000000000000000000ull,
                                 10000000000000000000ull};

size_t sg_fmt_u64(char *out, uint64_t v)
{
  size_t n = 1;
  while (n < 20 && v >= P10[n])
    n++;
  char *p = out + n; /* digits in pairs, from the right */
  while (v >= 100) {
    p -= 2;
    memcpy(p, DIGITS2 + 2 * (v % 100), 2);
    v /= 100;
  }
  if (v >= 10)
    memcpy(p - 2, DIGITS2 + 2 * v, 2);
  else
    p[-1] = (char)('0' + v);
  return n;
}

size_t sg_fmt_i64(char *out, int64_t v)
{
  if (v < 0) {
    out[0] = '-';
    return 1 + sg_fmt_u64(out + 1, (uint64_t)0 - (uint64_t)v);
  }
  return sg_fmt_u64(out, (uint64_t)v);
}

int sg_parse_decimal(const char *s, size_t n, double *out)
{
  static const double P10D[16] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7,
                                  1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
  size_t i = n > 0 && s[0] == '-';
  uint64_t m = 0;
  int nd = 0, frac = -1; /* digits after the point, once there is one */
  for (; i < n; i++) {
    if (s[i] == '.' && frac < 0 && nd > 0) {
      frac = 0;
      continue;
    }
    if (s[i] < '0' || s[i] > '9' || ++nd > 15)
      return 0;
    m = m * 10 + (uint64_t)(s[i] - '0');
    frac += frac >= 0;
  }
  if (nd == 0 || frac == 0) /* no digits, or none after the point */
    return 0;
  double v = frac > 0 ? (double)m / P10D[frac] : (double)m;
  *out = s[0] == '-' ? -v : v;
  return 1;
}

/* Two digits at s, or -1. */
static int two_digits(const char *s)
{
  return s[0] >= '0' && s[0] <= '9' && s[1] >= '0' && s[1] <= '9' ? (s[0] - '0') * 10 + (s[1] - '0') : -1;
}

int sg_parse_timestamp(const char *s, size_t n, int64_t *micros)
{
  int32_t days;
  if (n != 19 || (s[10] != ' ' && s[10] != 'T') || s[13] != ':' || s[16] != ':' || !sg_parse_date(s, 10, &days))
    return 0;
  int h = two_digits(s + 11), m = two_digits(s + 14), sec = two_digits(s + 17);
  if (h < 0 || h > 23 || m < 0 || m > 59 || sec < 0 || sec > 59)
    return 0;
  *micros = ((int64_t)days * 86400 + h * 3600 + m * 60 + sec) * 1000000;
  return 1;
}

size_t sg_fmt_timestamp(char *out, int64_t micros)
{
  int64_t secs = micros >= 0 ? micros / 1000000 : -((-micros + 999999) / 1000000);
  int64_t days = secs >= 0 ? secs / 86400 : -((-secs + 86399) / 86400);
  int32_t t = (int32_t)(secs - days * 86400);
  sg_fmt_date(out, (int32_t)days);
  out[10] = ' ';
  out[11] = (char)('0' + t / 36000);
  out[12] = (char)('0' + t / 3600 % 10);
  out[13] = ':';
  out[14] = (char)('0' + t / 600 % 6);
  out[15] = (char)('0' + t / 60 % 10);
  out[16] = ':';
  out[17] = (char)('0' + t % 60 / 10);
  out[18] = (char)('0' + t % 10);
  return 19;
}

int sg_parse_date(const char *s, size_t n, int32_t *days)
{
  if (n != 10 || s[4] != '-' || s[7] != '-')
    return 0;
  unsigned v[8], k = 0;
  for (size_t i = 0; i < 10; i++) {
    if (i == 4 || i == 7)
      continue;
    if (s[i] < '0' || s[i] > '9')
      return 0;
    v[k++] = (unsigned)(s[i] - '0');
  }
  int y = (int)(v[0] * 1000 + v[1] * 100 + v[2] * 10 + v[3]);
  unsigned m = v[4] * 10 + v[5], d = v[6] * 10 + v[7], ry, rm, rd;
  if (m < 1 || m > 12 || d < 1 || d > 31)
    return 0;
  int32_t x = sg_days_from_civil(y, m, d);
  int yy;
  sg_civil_from_days(x, &yy, &rm, &rd);
  ry = (unsigned)yy;
  if (ry != (unsigned)y || rm != m || rd != d) /* 2019-02-30 */
    return 0;
  *days = x;
  return 1;
}

size_t sg_fmt_fixed(char *out, int64_t v, int decimals)
{
  if (decimals == 4 && v >= 0 && v < 100000) { /* 0..9.9999: the audio features */
    out[0] = (char)('0' + v / 10000);
    out[1] = '.';
    memcpy(out + 2, DIGITS2 + 2 * (v % 10000 / 100), 2);
    memcpy(out + 4, DIGITS2 + 2 * (v % 100), 2);
    return 6;
  }
  size_t n = 0;
  uint64_t a = (uint64_t)v;
  if (v < 0) {
    out[n++] = '-';
    a = (uint64_t)0 - a;
  }
  if (decimals == 0)
    return n + sg_fmt_u64(out + n, a);
  if (decimals == 3 && a < 1000000) { /* loudness and tempo: up to 999.999 */
    unsigned ip = (unsigned)(a / 1000), fp = (unsigned)(a % 1000);
    if (ip >= 100)
      out[n++] = (char)('0' + ip / 100);
    if (ip >= 10) {
      memcpy(out + n, DIGITS2 + 2 * (ip % 100), 2);
      n += 2;
    } else {
      out[n++] = (char)('0' + ip);
    }
    out[n] = '.';
    out[n + 1] = (char)('0' + fp / 100);
    memcpy(out + n + 2, DIGITS2 + 2 * (fp % 100), 2);
    return n + 4;
  }
  uint64_t ip = a / P10[decimals], fp = a % P10[decimals];
  n += sg_fmt_u64(out + n, ip);
  out[n++] = '.';
  for (int i = decimals - 1; i >= 0; i--) {
    out[n + (size_t)i] = (char)('0' + fp % 10);
    fp /= 10;
  }
  return n + (size_t)decimals;
}

/* The era-based conversions of the proleptic Gregorian calendar: a 400-year
 * era has 146097 days; years start on March 1 so the leap day comes last. */
int32_t sg_days_from_civil(int y, unsigned m, unsigned d)
{
  y -= m <= 2;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = (unsigned)(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + (int32_t)doe - 719468;
}

void sg_civil_from_days(int32_t days, int *y, unsigned *m, unsigned *d)
{
  days += 719468;
  const int era = (days >= 0 ? days : days - 146096) / 146097;
  const unsigned doe = (unsigned)(days - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  *d = doy - (153 * mp + 2) / 5 + 1;
  *m = mp < 10 ? mp + 3 : mp - 9;
  *y = (int)yoe + era * 400 + (*m <= 2);
}

static void civil_date(char *out, int32_t days)
{
  int y;
  unsigned m, d;
  sg_civil_from_days(days, &y, &m, &d);
  memcpy(out, DIGITS2 + 2 * (y / 100), 2);
  memcpy(out + 2, DIGITS2 + 2 * (y % 100), 2);
  out[4] = '-';
  memcpy(out + 5, DIGITS2 + 2 * m, 2);
  out[7] = '-';
  memcpy(out + 8, DIGITS2 + 2 * d, 2);
}

/* The dates of 1990 .. 2039 written once (every release date falls there):
 * one copy instead of a calendar conversion per row. */
#define DATE_TABLE_FIRST 7305  /* 1990-01-01 */
#define DATE_TABLE_DAYS 18262  /* to 2039-12-31 */

size_t sg_fmt_date(char *out, int32_t days)
{
  static char table[DATE_TABLE_DAYS][10];
  static int ready;
  uint32_t i = (uint32_t)(days - DATE_TABLE_FIRST);
  if (i >= DATE_TABLE_DAYS) {
    civil_date(out, days);
    return 10;
  }
  if (!ready) {
    for (int32_t k = 0; k < DATE_TABLE_DAYS; k++)
      civil_date(table[k], DATE_TABLE_FIRST + k);
    ready = 1;
  }
  memcpy(out, table[i], 10);
  return 10;
}

char *sg_fmt_group(char *out, uint64_t v)
{
  char digits[20];
  size_t n = sg_fmt_u64(digits, v), o = 0;
  for (size_t i = 0; i < n; i++) {
    if (i && (n - i) % 3 == 0)
      out[o++] = ',';
    out[o++] = digits[i];
  }
  out[o] = '\0';
  return out;
}
