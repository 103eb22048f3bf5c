/* Bump allocator in chunks of at least 64 KiB; see arena.h. */
#include "model/arena.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct eco_arena_chunk {
    struct eco_arena_chunk *next;
    size_t used, cap;
    _Alignas(16) unsigned char data[];
};

void *eco_arena_alloc(struct eco_arena *a, size_t size)
{
    size = (size + 15) & ~(size_t)15;
    if (size == 0)
        size = 16;
    struct eco_arena_chunk *c = a->head;
    if (!c || c->cap - c->used < size) {
        size_t cap = size > 65536 ? size : 65536;
        if (cap > SIZE_MAX - sizeof *c)
            return NULL;
        c = malloc(sizeof *c + cap);
        if (!c)
            return NULL;
        c->next = a->head;
        c->used = 0;
        c->cap = cap;
        a->head = c;
    }
    void *p = c->data + c->used;
    c->used += size;
    a->total += size;
    memset(p, 0, size);
    return p;
}

void *eco_arena_array(struct eco_arena *a, size_t n, size_t size)
{
    if (size && n > SIZE_MAX / size)
        return NULL;
    return eco_arena_alloc(a, n * size);
}

char *eco_arena_strndup(struct eco_arena *a, const char *s, size_t len)
{
    char *p = eco_arena_alloc(a, len + 1);
    if (p && len)
        memcpy(p, s, len);
    return p;
}

void eco_arena_free(struct eco_arena *a)
{
    struct eco_arena_chunk *c = a->head;
    while (c) {
        struct eco_arena_chunk *n = c->next;
        free(c);
        c = n;
    }
    a->head = NULL;
    a->total = 0;
}
