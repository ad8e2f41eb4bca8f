/* Hyyrö's bit-vector algorithm for the restricted Damerau (OSA) distance:
 * bit i of the vertical deltas is column i of the dynamic-programming
 * matrix; each byte of b advances one row. */
#include "match/osa.h"

#include <string.h>

void rf_osa_prepare(rf_osa_pattern *p, const char *s, size_t n) {
    memset(p->peq, 0, sizeof p->peq);
    if (n > RF_OSA_MAX_LEN) n = RF_OSA_MAX_LEN;
    for (size_t i = 0; i < n; i++)
        p->peq[(unsigned char)s[i]] |= 1ull << i;
    p->len = n;
}

size_t rf_osa_distance_p(const rf_osa_pattern *p, const char *b, size_t lb, size_t max) {
    size_t m = p->len;
    if (lb > RF_OSA_MAX_LEN) lb = RF_OSA_MAX_LEN;
    size_t diff = m > lb ? m - lb : lb - m;
    if (diff > max) return max + 1;
    if (m == 0) return lb;
    uint64_t vp = ~0ull, vn = 0, d0 = 0, pm_prev = 0, last = 1ull << (m - 1);
    size_t score = m;
    for (size_t j = 0; j < lb; j++) {
        uint64_t pm = p->peq[(unsigned char)b[j]];
        uint64_t tr = ((~d0 & pm) << 1) & pm_prev; /* transpositions */
        d0 = (((pm & vp) + vp) ^ vp) | pm | vn | tr;
        uint64_t hp = vn | ~(d0 | vp), hn = d0 & vp;
        if (hp & last)
            score++;
        else if (hn & last)
            score--;
        hp = (hp << 1) | 1;
        hn <<= 1;
        vp = hn | ~(d0 | hp);
        vn = hp & d0;
        pm_prev = pm;
        /* each byte left can lower the distance by one at most */
        if (score > max + (lb - 1 - j)) return max + 1;
    }
    return score > max ? max + 1 : score;
}
