/* embed: turn a data file into a C translation unit holding its bytes as a
 * NUL-terminated string, so tables are compiled into the binary (no runtime
 * file needed on an edge board).  Usage: embed FILE SYMBOL > out.c */
#include <stdio.h>

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: embed FILE SYMBOL\n");
        return 2;
    }
    FILE *f = fopen(argv[1], "rb");
    if (!f) {
        perror(argv[1]);
        return 1;
    }
    printf("/* generated from %s by tools/embed.c; do not edit */\n", argv[1]);
    printf("#include <stddef.h>\nconst char %s[] = {\n", argv[2]);
    int c;
    size_t n = 0;
    while ((c = fgetc(f)) != EOF) {
        printf("%d,", c);
        if (++n % 24 == 0)
            putchar('\n');
    }
    printf("0};\nconst size_t %s_len = %zu;\n", argv[2], n);
    fclose(f);
    return 0;
}
