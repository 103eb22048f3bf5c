/* Numbers at the edges: the one bounded vocabulary every reader of a number
 * in text uses (sysfs and /proc files, model metadata, command-line options,
 * settings, data tables, query strings). C's strto* are the conversion;
 * these functions fix the rules around them once, so no edge re-decides
 * errno, end pointers, blanks, hex, inf/nan, -0, overflow or range.
 *
 * The rules, for every function:
 * - decimal only: no "0x10" (strtol base 0 and strtod read it as 16), no
 *   C hex floats ("0x1p4"), no octal ("010" is ten);
 * - no "inf", "nan" or "infinity" in any case;
 * - a '-' only where negatives exist (i64, int, double); a leading '+' only
 *   where asked (ECO_NUM_PLUS; an exponent may have one: 1e+3); "-0" reads
 *   as 0, never -0;
 * - overflow is an error, never a wrap or a clamp (ECO_NUM_OVERFLOW);
 * - no blank is skipped unless asked (ECO_NUM_BLANKS, eco_num_skip_blanks);
 * - the locale does not matter: the decimal point is '.' even after
 *   setlocale(LC_ALL, "") (top's curses screen sets it).
 *
 * Two shapes: the whole-text readers (eco_num_u64...) take all of TEXT and
 * a range [lo, hi]; the cursor readers (eco_num_next_*) read one number at
 * *p and move *p past it, for lists and lines ("cpu 1 2 3", "1x3x224"). */
#ifndef ECO_CORE_NUMPARSE_H
#define ECO_CORE_NUMPARSE_H

#include <stdint.h>

#include "core/err.h"

/* Why a number was refused; 0 when it was read. */
enum eco_num_status {
    ECO_NUM_OK = 0,
    ECO_NUM_EMPTY,    /* no text (or only blanks) */
    ECO_NUM_SYNTAX,   /* not a decimal number of the asked kind: letters, hex, inf/nan, '+' */
    ECO_NUM_NEGATIVE, /* a '-' where only non-negative numbers exist */
    ECO_NUM_TRAILING, /* a number followed by something else ("12abc", "1.5" for a whole number) */
    ECO_NUM_OVERFLOW, /* too large for the type (or for a double: 1e999) */
    ECO_NUM_RANGE     /* a number, outside [lo, hi] */
};

/* Flags of the whole-text readers. */
#define ECO_NUM_BLANKS 1u  /* blanks (space, tab) allowed before and after the number */
#define ECO_NUM_NEWLINE 2u /* one '\n' allowed at the end (kernel files: "123\n") */
#define ECO_NUM_PLUS 4u    /* eco_num_double: a leading '+' is taken ("+12.5", as --carbon-intensity always did) */

/* A short phrase for a status ("not a number", "too large"...), for messages. */
const char *eco_num_why(int status);

/* Whole-text readers: all of TEXT (see the flags) is one number in [lo, hi].
 * Return ECO_NUM_OK and set *out, or a status and leave *out alone. */
int eco_num_u64(const char *text, uint64_t lo, uint64_t hi, unsigned flags, uint64_t *out);
int eco_num_i64(const char *text, int64_t lo, int64_t hi, unsigned flags, int64_t *out);
int eco_num_int(const char *text, int lo, int hi, unsigned flags, int *out);
/* A decimal double: [-]digits[.digits][e[+-]digits] or [-].digits...;
 * finite, -0 as 0; an underflow is the tiny number (or 0) it rounds to. */
int eco_num_double(const char *text, double lo, double hi, unsigned flags, double *out);

/* A hexadecimal field of a kernel table, as the kernel writes it: "0x"
 * then hex digits ("CPU implementer : 0x41", "CPU part : 0xd0c" in ARM's
 * /proc/cpuinfo), at most max; the one place hex is read. */
int eco_num_hex_u64(const char *text, uint64_t max, unsigned flags, uint64_t *out);

/* Cursor readers: one number at *p (no blank skipped), *p moved past it on
 * success and left alone on error. They stop at the first character that
 * cannot continue the number; the caller checks what follows. */
int eco_num_next_u64(const char **p, uint64_t max, uint64_t *out);
int eco_num_next_i64(const char **p, int64_t lo, int64_t hi, int64_t *out);
int eco_num_next_double(const char **p, double *out);
/* Up to max blank-separated non-negative integers from *p to the line's end
 * (kernel tables: "cpu  10 20 30 40"): how many were read (fewer when the
 * line ends first), or -status for a field that is not one ("-1", "12x",
 * an overflow). *p ends after the last field read. */
int eco_num_u64_fields(const char **p, uint64_t *v, int max);
/* Move *p past spaces and tabs (not newlines: a line's end means something). */
void eco_num_skip_blanks(const char **p);

/* Fill err (code 2) with the one message shape for a refused number:
 * "WHAT 'TEXT' is not WANT (WHY)", e.g. "--limit '0x10' is not a whole
 * number from 1 to 10000 (something follows the number)". Returns -1. */
int eco_num_err(struct eco_err *err, int status, const char *what, const char *text, const char *want);

#endif
