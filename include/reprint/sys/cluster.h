/*
 * reprint/sys/cluster.h - clusters of near-duplicates with a kept
 * representative, guarded against chaining.
 *
 * Units are visited in keep order (rank). A unit joins the cluster of the
 * most similar earlier unit that is itself kept (a leader) and is similar
 * enough to it; otherwise it becomes a leader. So a unit is removed only
 * in favour of a kept representative it matches directly: a chain
 * A~B~C~...~Z never merges A and Z unless Z matches A. (This is union-find
 * restricted to edges into representatives.)
 */
#ifndef REPRINT_CLUSTER_H
#define REPRINT_CLUSTER_H

#include "../common.h"

#ifdef __cplusplus
extern "C" {
#endif

#define RP_KEPT UINT32_MAX

typedef struct rp_edge {
    uint32_t a;
    uint32_t b;
    double sim; /* similarity deciding the edge (exact, or estimated) */
} rp_edge;

/**
 * @param leader  out, n entries: RP_KEPT for a representative, else the
 *                unit it duplicates.
 * @param sim     out, n entries: similarity to the leader (0 if kept).
 * @param rank    keep order: lower rank is visited (and kept) first; ranks
 *                are distinct.
 * @param group   may be NULL; units of one group never match each other.
 * @param active  may be NULL; inactive units are neither visited nor leaders
 *                (leader RP_KEPT, sim 0).
 * @return RP_OK or RP_ENOMEM.
 */
RP_API int rp_cluster_leaders(uint32_t *leader, double *sim,
                              const uint32_t *rank, const uint32_t *group,
                              const uint8_t *active, size_t n,
                              const rp_edge *edges, size_t nedges,
                              double threshold);

#ifdef __cplusplus
}
#endif
#endif
