/* Symbolic dimension expressions (src/model/sym_expr.c): folding, the text
 * printed, comparisons, and the bound on the text's length. */
#include <string.h>

#include "model/ops.h"
#include "model/sym_expr.h"
#include "test.h"

static const char *str(struct eco_dim d)
{
    static char buf[8][160];
    static int k;
    char *b = buf[k++ % 8];
    eco_sym_str(d, b, 160);
    return b;
}

ECO_TEST(sym_expr_multiples_fold)
{
    struct eco_arena a = {0};
    struct eco_dim h = eco_dim_sym("H", 1);
    struct eco_dim x = eco_sym_binop(&a, ECO_SYM_MUL, h, eco_dim_num(4));
    CHECK_STR(str(x), "4*H");
    x = eco_sym_binop(&a, ECO_SYM_DIV, x, eco_dim_num(2)); /* 4H/2 = 2H exactly */
    CHECK_STR(str(x), "2*H");
    CHECK(eco_dim_eq(x, eco_dim_sym("H", 2)));
    CHECK_STR(str(eco_sym_binop(&a, ECO_SYM_SUB, x, x)), "0");
    CHECK_STR(str(eco_sym_binop(&a, ECO_SYM_MOD, eco_dim_sym("H", 14), eco_dim_num(7))), "0");
    CHECK_STR(str(eco_sym_binop(&a, ECO_SYM_ADD, h, h)), "2*H");
    CHECK_STR(str(eco_sym_binop(&a, ECO_SYM_MUL, eco_dim_num(0), h)), "0");
    eco_arena_free(&a);
}

ECO_TEST(sym_expr_constants_fold_into_one)
{
    struct eco_arena a = {0};
    struct eco_dim h = eco_dim_sym("H", 1);
    struct eco_dim x = eco_sym_binop(&a, ECO_SYM_SUB, h, eco_dim_num(1));
    CHECK_STR(str(x), "(H - 1)");
    x = eco_sym_binop(&a, ECO_SYM_ADD, x, eco_dim_num(1)); /* a 3x3 conv with padding 1 keeps H */
    CHECK_STR(str(x), "H");
    x = eco_sym_binop(&a, ECO_SYM_ADD, eco_dim_sym("W", 3), eco_dim_num(5));
    x = eco_sym_binop(&a, ECO_SYM_SUB, x, eco_dim_num(2));
    CHECK_STR(str(x), "(3*W + 3)");
    /* terms of the same base combine: (3W + 3) + (W - 40) = (4W - 37); x - x = 0 */
    struct eco_dim y = eco_sym_binop(&a, ECO_SYM_SUB, eco_dim_sym("W", 1), eco_dim_num(40));
    CHECK_STR(str(eco_sym_binop(&a, ECO_SYM_ADD, x, y)), "(4*W - 37)");
    CHECK_STR(str(eco_sym_binop(&a, ECO_SYM_SUB, x, eco_sym_binop(&a, ECO_SYM_ADD, eco_dim_sym("W", 3),
                                                                   eco_dim_num(3)))), "0");
    CHECK_STR(str(eco_sym_binop(&a, ECO_SYM_SUB, y, eco_dim_sym("W", 1))), "-40");
    eco_arena_free(&a);
}

ECO_TEST(sym_expr_window_padding_is_printed)
{
    struct eco_arena a = {0};
    struct eco_dim h = eco_dim_sym("H", 1);
    /* Swin: ceil(H / 7) * 7 computed in float then cast */
    struct eco_dim q = eco_sym_binop(&a, ECO_SYM_FDIV, h, eco_dim_num(7));
    CHECK_STR(str(q), "H/7");
    struct eco_dim c = eco_sym_unop(&a, ECO_SYM_CEIL, q);
    CHECK_STR(str(c), "ceil(H/7)");
    CHECK_STR(str(eco_sym_unop(&a, ECO_SYM_CEIL, c)), "ceil(H/7)"); /* already integral */
    CHECK_STR(str(eco_sym_binop(&a, ECO_SYM_MUL, c, eco_dim_num(7))), "7*ceil(H/7)");
    /* (7 - H % 7) % 7, as torchvision's padding */
    struct eco_dim m = eco_sym_binop(&a, ECO_SYM_MOD, h, eco_dim_num(7));
    struct eco_dim p = eco_sym_binop(&a, ECO_SYM_SUB, eco_dim_num(7), m);
    p = eco_sym_binop(&a, ECO_SYM_MOD, p, eco_dim_num(7));
    CHECK_STR(str(p), "((7 - (H % 7)) % 7)");
    CHECK_STR(str(eco_sym_binop(&a, ECO_SYM_MAX, h, eco_dim_sym("W", 1))), "max(H, W)");
    eco_arena_free(&a);
}

ECO_TEST(sym_expr_padded_min_and_factor_cancel)
{
    struct eco_arena a = {0};
    struct eco_dim h = eco_dim_sym("H", 1), w = eco_dim_sym("W", 1), n = eco_dim_sym("N", 1);
    /* P = H + (7 - H % 7) % 7 >= H, so min(P, H) is H (cropping a padded size back) */
    struct eco_dim r = eco_sym_binop(&a, ECO_SYM_SUB, eco_dim_num(7), eco_sym_binop(&a, ECO_SYM_MOD, h, eco_dim_num(7)));
    r = eco_sym_binop(&a, ECO_SYM_MOD, r, eco_dim_num(7));
    struct eco_dim p = eco_sym_binop(&a, ECO_SYM_ADD, h, r);
    CHECK_STR(str(p), "(H + ((7 - (H % 7)) % 7))");
    CHECK_STR(str(eco_sym_binop(&a, ECO_SYM_MIN, p, h)), "H");
    CHECK_STR(str(eco_sym_binop(&a, ECO_SYM_MAX, h, p)), "(H + ((7 - (H % 7)) % 7))");
    CHECK_STR(str(eco_sym_binop(&a, ECO_SYM_MIN, eco_sym_binop(&a, ECO_SYM_ADD, h, w), h)), "min((H + W), H)");
    /* (N * X * Y) / (X * Y) = N: windows per image in windowed attention */
    struct eco_dim xy = eco_sym_binop(&a, ECO_SYM_MUL, h, w);
    struct eco_dim nxy = eco_sym_binop(&a, ECO_SYM_MUL, n, xy);
    CHECK_STR(str(nxy), "N*H*W");
    CHECK_STR(str(eco_sym_binop(&a, ECO_SYM_DIV, nxy, xy)), "N");
    CHECK_STR(str(eco_sym_binop(&a, ECO_SYM_DIV, eco_sym_binop(&a, ECO_SYM_MUL, xy, n), xy)), "N");
    CHECK_STR(str(eco_sym_binop(&a, ECO_SYM_DIV, nxy, w)), "N*H");
    CHECK_STR(str(eco_sym_binop(&a, ECO_SYM_DIV, xy, n)), "floor(H*W/N)");
    struct eco_dim f = eco_sym_binop(&a, ECO_SYM_DIV, h, eco_dim_num(7)); /* factors may hold divisions */
    struct eco_dim nf = eco_sym_binop(&a, ECO_SYM_MUL, n, f);
    CHECK_STR(str(eco_sym_binop(&a, ECO_SYM_DIV, nf, f)), "N");
    struct eco_dim q = eco_sym_binop(&a, ECO_SYM_FDIV, n, h); /* N/H*W is not N*(H*W) */
    CHECK(strcmp(str(eco_sym_binop(&a, ECO_SYM_DIV, eco_sym_binop(&a, ECO_SYM_MUL, q, w), w)), "N/H") != 0);
    eco_arena_free(&a);
}

ECO_TEST(sym_expr_unknowns_and_data_dependence)
{
    struct eco_arena a = {0};
    struct eco_dim h = eco_dim_sym("H", 1), dd = eco_dim_sym("data-dependent", 0);
    CHECK(!eco_sym_named(dd) && eco_sym_data_dep(dd));
    CHECK(eco_sym_data_dep(eco_sym_binop(&a, ECO_SYM_ADD, h, dd)));
    struct eco_dim u = eco_sym_binop(&a, ECO_SYM_MUL, h, eco_dim_unknown());
    CHECK(!eco_dim_known(u) && u.sym == NULL);
    CHECK_INT(eco_sym_cmp(h, eco_dim_sym("H", 2)), -1);
    CHECK_INT(eco_sym_cmp(h, eco_dim_sym("W", 1)), 2); /* undecided */
    CHECK_INT(eco_sym_cmp(eco_dim_num(3), eco_dim_num(3)), 0);
    CHECK_INT(eco_sym_cmp(h, eco_dim_num(-1)), 1); /* a size is never -1 */
    CHECK_INT(eco_sym_cmp(eco_dim_num(-1), eco_dim_sym("floor(H/4)", 2)), -1);
    CHECK_INT(eco_sym_cmp(eco_dim_sym("(H - 7)", 1), eco_dim_num(-1)), 1); /* x[:-7] of a size */
    CHECK_INT(eco_sym_cmp(h, eco_dim_num(0)), 2);
    /* numbers: floor division and the divisor's sign for Mod */
    CHECK_INT(eco_sym_binop(&a, ECO_SYM_DIV, eco_dim_num(-7), eco_dim_num(2)).v, -4);
    CHECK_INT(eco_sym_binop(&a, ECO_SYM_MOD, eco_dim_num(-7), eco_dim_num(3)).v, 2);
    CHECK(!eco_dim_known(eco_sym_binop(&a, ECO_SYM_MUL, eco_dim_num(INT64_MAX), eco_dim_num(2))));
    eco_arena_free(&a);
}

ECO_TEST(sym_expr_text_is_bounded)
{
    struct eco_arena a = {0};
    struct eco_dim x = eco_dim_sym("N", 1);
    int steps = 0;
    while (x.sym && steps < 1000) { /* n = (n + 1) % 5 grows by a few characters per step */
        x = eco_sym_binop(&a, ECO_SYM_MOD, eco_sym_binop(&a, ECO_SYM_ADD, x, eco_dim_num(1)), eco_dim_num(5));
        if (x.sym)
            CHECK(strlen(x.sym) <= ECO_SYM_MAX_LEN);
        steps++;
    }
    CHECK(steps < 50 && !eco_dim_known(x) && x.sym == NULL);
    eco_arena_free(&a);
}
