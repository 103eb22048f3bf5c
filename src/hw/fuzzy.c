/* Token-based fuzzy matching of hardware names. The idea: what matters in a
 * hardware name is its model number ("6248", "a100", "8559u", "v3"); brand
 * words ("Intel(R)", "GeForce", "Processor") and decorations ("@ 2.50GHz",
 * "11th Gen", "64-Core") vary between /proc/cpuinfo, nvidia-smi and what
 * people type, so they are dropped before comparing. */
#include "hw/fuzzy.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "core/edit_distance.h"

/* Words that carry no model information (vendor, brand, marketing). */
static const char *const stopwords[] = {
    "intel", "amd", "nvidia", "arm", "ampere", "cpu", "processor", "gen", "generation",
    "core", "cores", "tm", "r", "c", "geforce", "tesla", "graphics", "apu", "soc",
    "developer", "kit", "module", "series", "the", "family", "corporation", "inc",
    "technologies", "computing", "with", "and", "for", "gpu", "accelerator", NULL};

/* Words naming a product family or variant, shared by many rows: matching
 * only these ("rtx", "xeon gold") identifies no model. */
static const char *const family_words[] = {
    "rtx", "gtx", "titan", "quadro", "jetson", "orin", "xavier", "agx", "xeon", "gold", "silver",
    "bronze", "platinum", "ultra", "epyc", "ryzen", "threadripper", "radeon", "instinct", "pro",
    "max", "super", "sxm", "pcie", "nvl", "graviton", "altra", "ada", NULL};

/* The first letter is compared before the call: every row of the hardware
 * tables is tokenised when they load (at each `run`, for the embodied
 * figure), and a strcmp per list word was a quarter of `run`'s start-up. */
static int in_list(const char *t, const char *const *list)
{
    for (int i = 0; list[i]; i++)
        if (list[i][0] == t[0] && strcmp(t, list[i]) == 0)
            return 1;
    return 0;
}

static int is_family_word(const char *t) { return in_list(t, family_words); }

static int is_stopword(const char *t) { return in_list(t, stopwords); }

static int all_digits(const char *t)
{
    if (!*t)
        return 0;
    for (; *t; t++)
        if (!isdigit((unsigned char)*t))
            return 0;
    return 1;
}

static int has_digit(const char *t)
{
    for (; *t; t++)
        if (isdigit((unsigned char)*t))
            return 1;
    return 0;
}

static int all_alpha(const char *t)
{
    if (!*t)
        return 0;
    for (; *t; t++)
        if (!isalpha((unsigned char)*t))
            return 0;
    return 1;
}

/* "11th", "2nd", "3rd", "1st": generation ordinals, not model numbers. */
static int is_ordinal(const char *t)
{
    size_t n = strlen(t), d = 0;
    while (d < n && isdigit((unsigned char)t[d]))
        d++;
    if (d == 0 || n - d != 2)
        return 0;
    const char *s = t + d;
    return !strcmp(s, "st") || !strcmp(s, "nd") || !strcmp(s, "rd") || !strcmp(s, "th");
}

/* Memory technology words: nvidia-smi appends them ("80GB HBM3"), tables do not. */
static int is_memory_kind(const char *t)
{
    return !strncmp(t, "hbm", 3) || !strncmp(t, "gddr", 4) || !strncmp(t, "lpddr", 5);
}

static void push(struct eco_fz_tokens *out, const char *t)
{
    if (out->n >= ECO_FZ_MAX_TOKENS)
        return;
    if (strcmp(t, "gb") == 0 && out->n > 0 && all_digits(out->tok[out->n - 1])) {
        /* "80 GB" -> "80gb", so it compares with "80GB" */
        char *prev = out->tok[out->n - 1];
        if (strlen(prev) + 2 < ECO_FZ_TOKEN_LEN)
            strcat(prev, "gb");
        return;
    }
    if ((strcmp(t, "core") == 0 || strcmp(t, "cores") == 0) && out->n > 0 &&
        all_digits(out->tok[out->n - 1])) {
        out->n--; /* "64-Core Processor": a core count, not a model number */
        return;
    }
    if (is_stopword(t) || is_ordinal(t) || is_memory_kind(t))
        return;
    size_t len = strnlen(t, ECO_FZ_TOKEN_LEN - 1); /* as snprintf would cut it, without its cost */
    memcpy(out->tok[out->n], t, len);
    out->tok[out->n][len] = '\0';
    out->n++;
}

void eco_fz_tokenize(const char *text, struct eco_fz_tokens *out)
{
    out->n = 0;
    if (!text)
        return;
    char buf[256];
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)text; *p && n + 1 < sizeof buf; p++) {
        if (*p == '@')
            break; /* "@ 2.50GHz": the clock, not the model */
        if (p[0] == 0xC2 && p[1] == 0xAE) { /* (R) sign in UTF-8 */
            p++;
            buf[n++] = ' ';
            continue;
        }
        if (p[0] == 0xE2 && p[1] == 0x84 && p[2] == 0xA2) { /* TM sign in UTF-8 */
            p += 2;
            buf[n++] = ' ';
            continue;
        }
        buf[n++] = isalnum(*p) ? (char)tolower(*p) : ' ';
    }
    buf[n] = 0;
    char *save = NULL;
    for (char *t = strtok_r(buf, " ", &save); t; t = strtok_r(NULL, " ", &save)) {
        if (strcmp(t, "with") == 0 || strcmp(t, "w") == 0)
            break; /* "Ryzen 7 5800U with Radeon Graphics", "Ryzen AI 9 HX 370 w/ Radeon 890M" */
        if (strlen(t) >= ECO_FZ_TOKEN_LEN)
            t[ECO_FZ_TOKEN_LEN - 1] = 0;
        push(out, t);
    }
}

void eco_fz_join(const struct eco_fz_tokens *t, char *buf, size_t len)
{
    size_t used = 0;
    if (len == 0)
        return;
    buf[0] = 0;
    for (int i = 0; i < t->n; i++) {
        int w = snprintf(buf + used, len - used, "%s%s", i ? " " : "", t->tok[i]);
        if (w < 0 || (size_t)w >= len - used)
            break;
        used += (size_t)w;
    }
}

int eco_fz_same(const struct eco_fz_tokens *a, const struct eco_fz_tokens *b)
{
    if (a->n != b->n || a->n == 0)
        return 0;
    for (int i = 0; i < a->n; i++)
        if (strcmp(a->tok[i], b->tok[i]) != 0)
            return 0;
    return 1;
}

/* "80gb": a memory size, which tells variants apart but is not the model. */
static int is_memory_size(const char *t)
{
    size_t n = strlen(t);
    return n > 2 && strcmp(t + n - 2, "gb") == 0 && strspn(t, "0123456789") == n - 2;
}

/* A token naming the model: it holds a digit, is not a memory size, and is
 * longer than one character (a lone "9" in "Ryzen 9" or "7" in "Core Ultra
 * 7" is a tier shared by many models). */
static int is_model_number(const char *t)
{
    return has_digit(t) && !is_memory_size(t) && t[1] != 0;
}

static double weight(const char *t)
{
    return has_digit(t) && t[1] != 0 ? 3.0 : 1.0;
}

/* a is a word prefix of b ("sxm" of "sxm5", "pci" of "pcie"). */
static int word_prefix(const char *a, const char *b)
{
    size_t la = strlen(a);
    return all_alpha(a) && la >= 3 && la < strlen(b) && strncmp(a, b, la) == 0;
}

/* t is c[j] followed by c[j+1] (and maybe c[j+2]) without spaces: returns
 * how many tokens after j it spans (1 or 2), else 0. */
static int glued(const char *t, const struct eco_fz_tokens *c, int j)
{
    size_t l = strlen(c->tok[j]);
    if (strncmp(t, c->tok[j], l) != 0)
        return 0;
    const char *rest = t + l;
    size_t l1 = strlen(c->tok[j + 1]);
    if (strncmp(rest, c->tok[j + 1], l1) != 0)
        return 0;
    if (rest[l1] == 0)
        return 1;
    if (j + 2 < c->n && strcmp(rest + l1, c->tok[j + 2]) == 0)
        return 2;
    return 0;
}

double eco_fz_score(const struct eco_fz_tokens *q, const struct eco_fz_tokens *c)
{
    if (q->n == 0 || c->n == 0)
        return 0;
    double cand_hit[ECO_FZ_MAX_TOKENS] = {0};
    double qw = 0, qm = 0;
    int missing_model_number = 0;
    int significant_hit = 0; /* a model number or a model's word matched, not "v", "9", "rtx" */
    for (int i = 0; i < q->n; i++) {
        const char *t = q->tok[i];
        double w = weight(t), best = 0;
        int hit = -1, hit2 = -1;
        for (int j = 0; j < c->n && best < 1; j++) {
            if (t[0] != c->tok[j][0])
                continue; /* every kind of match below starts with the same character */
            if (strcmp(t, c->tok[j]) == 0) {
                best = 1, hit = j, hit2 = -1;
            } else if (j + 1 < c->n) {
                /* "4060ti", "rtx4090" or "rtx4060ti" typed without spaces */
                int k = glued(t, c, j);
                if (k > 0) {
                    best = 1, hit = j, hit2 = j + k;
                    for (int m = j + 1; m < j + k; m++)
                        cand_hit[m] = 1;
                }
            }
            if (best < 0.5 && (word_prefix(t, c->tok[j]) || word_prefix(c->tok[j], t)))
                best = 0.5, hit = j, hit2 = -1;
            /* "62" of "6248": a little credit so a search for a partial number
             * ranks its family first; it still counts as a missing model
             * number below, so it never makes a lookup succeed */
            size_t lt = strlen(t);
            if (best < 0.25 && lt >= 2 && has_digit(t) && strlen(c->tok[j]) > lt &&
                strncmp(t, c->tok[j], lt) == 0)
                best = 0.25, hit = j, hit2 = -1;
        }
        qw += w;
        qm += w * best;
        if (best == 1 && (is_model_number(t) || (strlen(t) >= 3 && !is_family_word(t))))
            significant_hit = 1;
        if (has_digit(t) && t[1] != 0 && best < 1)
            missing_model_number = 1;
        if (hit >= 0 && cand_hit[hit] < best)
            cand_hit[hit] = best;
        if (hit2 >= 0 && cand_hit[hit2] < best)
            cand_hit[hit2] = best;
    }
    double cw = 0, cm = 0;
    for (int j = 0; j < c->n; j++) {
        double w = weight(c->tok[j]);
        cw += w;
        cm += w * cand_hit[j];
    }
    /* A candidate whose model numbers the query never mentions ("xeon" vs
     * "Xeon E5-2620 v2") is a guess, not a match. */
    int cand_has_model = 0, cand_model_hit = 0;
    for (int j = 0; j < c->n; j++)
        if (is_model_number(c->tok[j])) {
            cand_has_model = 1;
            if (cand_hit[j] > 0)
                cand_model_hit = 1;
        }
    double s = 0.7 * (qm / qw) + 0.3 * (cm / cw);
    if (missing_model_number)
        s *= 0.5;
    if (cand_has_model && !cand_model_hit)
        s *= 0.5;
    if (!significant_hit)
        s *= 0.5;
    return s;
}

double eco_fz_similarity(const struct eco_fz_tokens *a, const struct eco_fz_tokens *b)
{
    char sa[128], sb[128];
    eco_fz_join(a, sa, sizeof sa);
    eco_fz_join(b, sb, sizeof sb);
    size_t la = strlen(sa), lb = strlen(sb);
    if (la == 0 && lb == 0)
        return 1;
    size_t d = eco_edit_distance(sa, sb); /* both under 128 bytes: the buffers */
    size_t longest = la > lb ? la : lb;
    return 1.0 - (double)d / (double)longest;
}

double eco_fz_score_row(const struct eco_fz_tokens *q, const char *name, const char *aliases,
                        int *exact, int *exact_alias)
{
    struct eco_fz_tokens c;
    *exact = 0;
    *exact_alias = 0;
    eco_fz_tokenize(name, &c);
    if (eco_fz_same(q, &c)) {
        *exact = 1;
        return 1.0;
    }
    double best = eco_fz_score(q, &c);
    const char *p = aliases ? aliases : "";
    while (*p) {
        const char *bar = strchr(p, '|');
        size_t l = bar ? (size_t)(bar - p) : strlen(p);
        char one[160];
        if (l >= sizeof one)
            l = sizeof one - 1;
        memcpy(one, p, l);
        one[l] = 0;
        eco_fz_tokenize(one, &c);
        if (eco_fz_same(q, &c)) {
            *exact = 1;
            *exact_alias = 1;
            return 1.0;
        }
        double s = eco_fz_score(q, &c);
        if (s > best)
            best = s;
        p = bar ? bar + 1 : p + l;
    }
    return best;
}
