/* test_rand.h -- the small deterministic generators of the unit tests
 * (Marsaglia's xorshift), so that a failure replays the same inputs.  Each
 * test keeps its own state and seed and derives its numbers as it needs. */
#ifndef EDX_TEST_RAND_H
#define EDX_TEST_RAND_H

#include <stdint.h>

/* The next state of a 64-bit xorshift (shifts 13, 7, 17); the state must
 * not be 0. */
static inline uint64_t xorshift64(uint64_t *state)
{
    uint64_t x = *state;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return *state = x;
}

/* The next state of a 32-bit xorshift (shifts 13, 17, 5); the state must
 * not be 0. */
static inline uint32_t xorshift32(uint32_t *state)
{
    uint32_t x = *state;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return *state = x;
}

#endif
