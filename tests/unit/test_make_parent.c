/* eco_make_parent: the one mkdir -p (history folders 0700, baseline 0755). */
#include <errno.h>
#include <stdio.h>
#include <sys/stat.h>

#include "core/make_parent.h"
#include "test.h"

ECO_TEST(make_parent_creates_missing_folders_with_the_mode)
{
    char path[4096], dir[4096], want[4096];
    snprintf(path, sizeof path, "%s/a/b/c/history.db", eco_test_tmpdir());
    CHECK(eco_make_parent(path, 0700, dir, sizeof dir) == 0);
    snprintf(want, sizeof want, "%s/a/b/c", eco_test_tmpdir());
    CHECK_STR(dir, want);
    struct stat st;
    CHECK(stat(want, &st) == 0 && S_ISDIR(st.st_mode));
    CHECK_INT(st.st_mode & 0777, 0700); /* a umask clears bits of 0700 only for odd umasks */
    CHECK(stat(path, &st) != 0); /* the file itself is not made */
    CHECK(eco_make_parent(path, 0700, dir, sizeof dir) == 0); /* existing: fine */
    CHECK(eco_make_parent("history.db", 0700, dir, sizeof dir) == 0);
}

ECO_TEST(make_parent_names_the_folder_it_could_not_make)
{
    char file[2048], path[4096], dir[4096], want[4096];
    snprintf(file, sizeof file, "%s/plain", eco_test_tmpdir());
    FILE *f = fopen(file, "w");
    CHECK(f != NULL);
    fclose(f);
    snprintf(path, sizeof path, "%s/plain/sub/history.db", eco_test_tmpdir());
    errno = 0;
    CHECK(eco_make_parent(path, 0700, dir, sizeof dir) == -1);
    CHECK_INT(errno, ENOTDIR);
    snprintf(want, sizeof want, "%s/sub", file);
    CHECK_STR(dir, want); /* "plain" exists (as a file): making "plain/sub" fails */
}
