"""Time gensim's PoincareModel per epoch on the mammal closure, for comparison with `flowbench embed`.

Usage: python gensim_mammals.py [closure.csv] [epochs]

Reads the closure rows `id1,id2,weight` (id1 the hyponym, weight ignored: gensim trains on
unweighted pairs) and trains at size 5, 50 negatives, burn-in 20 epochs at 0.03 then lr 0.3,
batch 10, seed 1. Prints the burn-in time and the wall and processor time of each training epoch.

gensim draws negatives in one of two ways: when a node's relations are under 1% of all
nodes it redraws a whole buffer of count-weighted candidates until none is a relation and
none repeats; otherwise it draws count-weighted without replacement from the non-relations.
On this closure, with 50 negatives, the first way almost never finishes (mammal.n.01 is the
hypernym of every other node and dominates the counts), so every node is sent down the second way.
"""

import csv
import sys
import time

import numpy as np
from gensim.models.poincare import PoincareModel


class NonAncestorChoiceModel(PoincareModel):
    """PoincareModel that always samples negatives by weighted choice over non-relations."""

    def _sample_negatives(self, node_index):
        related = self.node_relations[node_index]
        candidates = np.array(sorted(self.indices_set - related))
        if len(candidates) < self.negative:
            raise ValueError('node %s has only %d non-related nodes'
                             % (self.kv.index_to_key[node_index], len(candidates)))
        weights = self._node_probabilities[candidates]
        weights = weights / weights.sum()
        return list(self._np_random.choice(candidates, size=self.negative, p=weights, replace=False))


def read_pairs(path):
    with open(path, newline='', encoding='utf-8') as handle:
        rows = csv.reader(handle)
        header = next(rows)
        if header[:2] != ['id1', 'id2']:
            raise SystemExit('%s: expected header id1,id2,weight, got %s' % (path, ','.join(header)))
        return [(row[0], row[1]) for row in rows if row]


def timed(model):
    """Train one more epoch (the first call also runs the burn-in); return wall and process cpu seconds."""
    wall, cpu = time.perf_counter(), time.process_time()
    model.train(epochs=1, batch_size=10, print_every=10 ** 9)
    return time.perf_counter() - wall, time.process_time() - cpu


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else 'samples/poincare/mammal_closure.csv'
    epochs = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    pairs = read_pairs(path)
    model = NonAncestorChoiceModel(pairs, size=5, negative=50, alpha=0.3, burn_in=20,
                                   burn_in_alpha=0.03, seed=1)
    print('%d relations, %d nodes' % (len(pairs), len(model.kv)), flush=True)
    # The first call runs the 20 burn-in epochs and then one training epoch.
    wall, cpu = timed(model)
    print('burn-in 20 epochs + epoch 1: %.1f s wall (%.2f s/epoch), %.1f s cpu (%.2f s/epoch)'
          % (wall, wall / 21, cpu, cpu / 21), flush=True)
    walls, cpus = [], []
    for epoch in range(2, epochs + 1):
        wall, cpu = timed(model)
        walls.append(wall)
        cpus.append(cpu)
        print('epoch %d: %.2f s wall, %.2f s cpu' % (epoch, wall, cpu), flush=True)
    if walls:
        print('training epochs 2-%d: mean %.2f s wall, %.2f s cpu per epoch'
              % (epochs, sum(walls) / len(walls), sum(cpus) / len(cpus)))


if __name__ == '__main__':
    main()
