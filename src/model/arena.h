/* A bump allocator: everything read from one model lives in one arena and is
 * freed at once, so the readers never track individual allocations. */
#ifndef ECO_MODEL_ARENA_H
#define ECO_MODEL_ARENA_H

#include <stddef.h>

struct eco_arena_chunk;
struct eco_arena {
    struct eco_arena_chunk *head;
    size_t total; /* bytes handed out, to bound hostile inputs */
};

/* Zeroed memory, aligned for any scalar; NULL when out of memory. */
void *eco_arena_alloc(struct eco_arena *a, size_t size);
/* n * size with an overflow check. */
void *eco_arena_array(struct eco_arena *a, size_t n, size_t size);
/* A NUL-terminated copy of len bytes. */
char *eco_arena_strndup(struct eco_arena *a, const char *s, size_t len);
void eco_arena_free(struct eco_arena *a);

#endif
