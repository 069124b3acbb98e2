#!/usr/bin/env python3
"""torchgfn side of the HyperGrid speed and accuracy comparison (samples/gflownet/README.md).

Trains torchgfn's TBGFlowNet in Flowbench's acceptance setting: HyperGrid D=2 H=8 (R0 0.1,
R1 0.5, R2 2), K-hot states, 2 x 256 ReLU policy, uniform backward policy, log Z starting at 0,
Adam 1e-3 (log Z 0.1), batch 16, on-policy, one torch thread; prints one JSON line with the
training wall time, the L1 of the terminal distribution the policy induces (exact, by dynamic
programming over the grid, as `flowbench eval-gfn` computes it) and torchgfn's own sampled L1.

    python samples/gflownet/torchgfn_hypergrid.py --seed 0 [--clip 1.0] [--trajectories 32000]

Needs torch and torchgfn (2.4.1) installed; it is not part of the build.
"""
import argparse
import json
import time

import numpy as np
import torch

from gfn.estimators import DiscretePolicyEstimator
from gfn.gflownet import TBGFlowNet
from gfn.gym import HyperGrid
from gfn.preprocessors import KHotPreprocessor
from gfn.samplers import Sampler
from gfn.utils.common import set_seed
from gfn.utils.modules import MLP, DiscreteUniform


def exact_l1(env, pf_estimator, ndim, height):
    """Exact L1 between the induced terminal distribution and R/Z, states in mixed-radix order."""
    grids = np.stack(np.meshgrid(*[np.arange(height)] * ndim, indexing="ij"), axis=-1).reshape(-1, ndim)
    # Mixed radix with coordinate i weighted height**i: adding one to any coordinate raises the index.
    index = (grids * (height ** np.arange(ndim))).sum(axis=1)
    order = np.argsort(index)
    grids = grids[order]
    states = env.states_from_tensor(torch.tensor(grids, dtype=torch.long))
    with torch.no_grad():
        dist = pf_estimator.to_probability_distribution(states, pf_estimator(states))
        probs = dist.probs.double().numpy()
        log_r = env.log_reward(states).double().numpy()
    n = grids.shape[0]
    reach = np.zeros(n)
    reach[0] = 1.0
    for i in range(n):
        for a in range(ndim):
            if grids[i, a] < height - 1:
                reach[i + height ** a] += reach[i] * probs[i, a]
    p = reach * probs[:, ndim]
    target = np.exp(log_r - np.logaddexp.reduce(log_r))
    return float(np.abs(p - target).sum())


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--trajectories", type=int, default=32000)
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--lr", type=float, default=1e-3)
    parser.add_argument("--lr-logz", type=float, default=0.1)
    parser.add_argument("--clip", type=float, default=0.0, help="gradient norm clip, 0 for none")
    parser.add_argument("--samples", type=int, default=100000)
    args = parser.parse_args()
    torch.set_num_threads(1)
    set_seed(args.seed)
    ndim, height = 2, 8
    env = HyperGrid(ndim=ndim, height=height, reward_fn_kwargs={"R0": 0.1, "R1": 0.5, "R2": 2.0},
                    calculate_partition=True, store_all_states=True)
    pre = KHotPreprocessor(height=height, ndim=ndim)
    pf = DiscretePolicyEstimator(MLP(input_dim=pre.output_dim, output_dim=env.n_actions), env.n_actions,
                                 preprocessor=pre, is_backward=False)
    pb = DiscretePolicyEstimator(DiscreteUniform(output_dim=env.n_actions - 1), env.n_actions,
                                 preprocessor=pre, is_backward=True)
    gfn = TBGFlowNet(pf=pf, pb=pb, init_logZ=0.0)
    optimizer = torch.optim.Adam(gfn.pf_pb_parameters(), lr=args.lr)
    optimizer.add_param_group({"params": gfn.logz_parameters(), "lr": args.lr_logz})
    sampler = Sampler(estimator=pf)
    steps = (args.trajectories + args.batch - 1) // args.batch
    start = time.perf_counter()
    for _ in range(steps):
        trajectories = sampler.sample_trajectories(env, n=args.batch, save_logprobs=True)
        optimizer.zero_grad()
        loss = gfn.loss(env, trajectories)
        loss.backward()
        if args.clip > 0:
            torch.nn.utils.clip_grad_norm_(gfn.parameters(), args.clip)
        optimizer.step()
    seconds = time.perf_counter() - start
    l1 = exact_l1(env, pf, ndim, height)
    info, _ = env.validate(gfn, args.samples)
    print(json.dumps({"seed": args.seed, "trajectories": steps * args.batch, "clip": args.clip, "seconds": seconds,
                      "l1_exact": l1, "l1_samples": float(info["l1_dist"]),
                      "log_z": float(gfn.logZ.item()), "log_z_true": float(env.log_partition())}))


if __name__ == "__main__":
    main()
