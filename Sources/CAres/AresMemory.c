// c-ares's allocations, recycled per thread: see CAres.h.
//
// c-ares 1.18.1 makes about five blocks per query and frees them when the query ends. A bulk resolve does
// that 100,000 times a second on one loop thread, in bursts the size of the window, which overflow glibc's
// per-thread cache (seven blocks of a size) and send the rest through its arenas. Blocks of up to 1 KiB
// are kept instead on free lists of the thread that frees them, a few hundred of each size; the rest, and
// anything larger, go back to malloc. A thread's lists are freed when it exits.
#include "CAres.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

enum { classes = 5, kept_per_class = 256 };
static const size_t class_room[classes] = { 64, 128, 256, 512, 1024 };

// In front of every block: its size class (`classes` for a large block) and room. 16 bytes, so the
// block keeps malloc's alignment.
struct header {
    size_t class_index;
    size_t room;
};

struct free_block {
    struct free_block *next;
};

struct free_lists {
    struct free_block *head[classes];
    int count[classes];
    int registered;  // whether the thread-exit hook that frees these lists is set
};

static __thread struct free_lists lists;
static pthread_key_t exit_key;
static pthread_once_t exit_key_once = PTHREAD_ONCE_INIT;

static void free_lists_at_exit(void *data) {
    struct free_lists *kept = data;
    for (int index = 0; index < classes; index++) {
        while (kept->head[index]) {
            struct free_block *block = kept->head[index];
            kept->head[index] = block->next;
            free((struct header *)block - 1);
        }
        kept->count[index] = 0;
    }
}

static void make_exit_key(void) { pthread_key_create(&exit_key, free_lists_at_exit); }

static size_t class_for(size_t size) {
    for (size_t index = 0; index < classes; index++) {
        if (size <= class_room[index]) return index;
    }
    return classes;
}

static void *allocate(size_t size) {
    size_t index = class_for(size);
    if (index < classes && lists.head[index]) {
        struct free_block *block = lists.head[index];
        lists.head[index] = block->next;
        lists.count[index]--;
        return block;
    }
    size_t room = index < classes ? class_room[index] : size;
    struct header *header = malloc(sizeof *header + room);
    if (!header) return NULL;
    header->class_index = index;
    header->room = room;
    return header + 1;
}

static void release(void *pointer) {
    if (!pointer) return;
    struct header *header = (struct header *)pointer - 1;
    size_t index = header->class_index;
    if (index >= classes || lists.count[index] >= kept_per_class) {
        free(header);
        return;
    }
    if (!lists.registered) {
        pthread_once(&exit_key_once, make_exit_key);
        pthread_setspecific(exit_key, &lists);
        lists.registered = 1;
    }
    struct free_block *block = pointer;
    block->next = lists.head[index];
    lists.head[index] = block;
    lists.count[index]++;
}

static void *reallocate(void *pointer, size_t size) {
    if (!pointer) return allocate(size);
    struct header *header = (struct header *)pointer - 1;
    if (size <= header->room) return pointer;
    void *moved = allocate(size);
    if (!moved) return NULL;
    memcpy(moved, pointer, header->room);
    release(pointer);
    return moved;
}

// Under a sanitizer c-ares keeps malloc, so the sanitizer sees each of its blocks.
#if defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define EGRESSMAP_SANITIZED 1
#endif
#endif
#ifndef EGRESSMAP_SANITIZED
#define EGRESSMAP_SANITIZED 0
#endif

int egressmap_ares_library_init(void) {
    if (EGRESSMAP_SANITIZED) return ares_library_init(ARES_LIB_INIT_ALL);
    return ares_library_init_mem(ARES_LIB_INIT_ALL, allocate, release, reallocate);
}
