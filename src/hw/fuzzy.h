/* Fuzzy matching of hardware names: what /proc/cpuinfo, nvidia-smi and
 * people write ("Intel(R) Xeon(R) CPU E5-2678 v3 @ 2.50GHz", "A100-SXM4-80GB",
 * "rtx 4090") against the table rows. Internal to src/hw. */
#ifndef ECO_HW_FUZZY_H
#define ECO_HW_FUZZY_H

#include <stddef.h>

#define ECO_FZ_MAX_TOKENS 24
#define ECO_FZ_TOKEN_LEN 24

/* A name cut into normalised tokens: lowercase, trademarks, "CPU",
 * "Processor", "@ frequency", "Nth Gen", "NN-Core" and vendor/brand words
 * dropped, "80 GB" joined into "80gb". */
struct eco_fz_tokens {
    int n;
    char tok[ECO_FZ_MAX_TOKENS][ECO_FZ_TOKEN_LEN];
};

void eco_fz_tokenize(const char *text, struct eco_fz_tokens *out);
/* The tokens joined by single spaces (the comparable form of a name). */
void eco_fz_join(const struct eco_fz_tokens *t, char *buf, size_t len);
/* 1 when both normalise to the same tokens. */
int eco_fz_same(const struct eco_fz_tokens *a, const struct eco_fz_tokens *b);
/* Token-overlap score of a query against one candidate name, 0..1: tokens
 * holding a digit (model numbers) weigh three times more, a model number of
 * the query missing from the candidate halves the score. */
double eco_fz_score(const struct eco_fz_tokens *query, const struct eco_fz_tokens *cand);
/* Edit-distance similarity of the joined forms, 0..1 (for "did you mean"). */
double eco_fz_similarity(const struct eco_fz_tokens *a, const struct eco_fz_tokens *b);

/* Scores below this are not accepted as a match. */
#define ECO_FZ_ACCEPT 0.6

/* Best score of a query against a row's name and each '|'-separated alias;
 * *exact set to 1 when one of them normalises to the query (then 1.0 is
 * returned), and *exact_alias to 1 when that was an alias. */
double eco_fz_score_row(const struct eco_fz_tokens *query, const char *name, const char *aliases,
                        int *exact, int *exact_alias);

#endif
