"""scikit-learn (one thread) timings for benchmarks/reduce.bench.ts, measured in a child process
spawned by that benchmark between tessera's own rounds, so that both see the same machine load.

Run: /usr/bin/python3 benchmarks/reference/reduce_bench.py TASK   (TASK: pca or tsne; from the project root)
Prints one JSON line. Synthetic inputs are drawn like the TypeScript benchmark draws them (same
shapes and distributions, not the same numbers). Wall and CPU (process) seconds per run.
"""
import json
import os
import sys

# other reference scripts in this folder (a file named like a stdlib module) must not shadow standard modules
sys.path = [p for p in sys.path if os.path.abspath(p or '.') != os.path.abspath(os.path.dirname(__file__))]
import time

import numpy as np
import pandas as pd
import sklearn
from threadpoolctl import threadpool_limits
from sklearn.decomposition import PCA
from sklearn.manifold import TSNE, trustworthiness

HERE = os.path.dirname(__file__)
DIGITS = os.path.join(HERE, '..', '..', '..', 'shared', 'data', 'tabular', 'digits-8x8', 'data.csv')


def median_time(f, runs):
    ts = []
    cpu = []
    for _ in range(runs):
        t = time.perf_counter()
        c = time.process_time()
        f()
        ts.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    return float(np.median(ts)), [round(x, 4) for x in ts], [round(x, 4) for x in cpu]


def task_pca(out, runs):
    rng = np.random.default_rng(1)
    Xp = rng.normal(size=(50_000, 50)) @ rng.normal(size=(50, 50))
    PCA(n_components=10).fit_transform(Xp)  # warm-up
    m, ts, cpu = median_time(lambda: PCA(n_components=10).fit_transform(Xp), runs)
    out['pca_auto'] = {'median_s': m, 'runs': ts, 'cpu': cpu, 'settings': "svd_solver='auto' (randomized here), fit_transform, one thread"}
    m, ts, cpu = median_time(lambda: PCA(n_components=10, svd_solver='full').fit_transform(Xp), runs)
    out['pca_full'] = {'median_s': m, 'runs': ts, 'cpu': cpu, 'settings': "svd_solver='full', fit_transform, one thread"}


def task_tsne(out, runs):
    digits = pd.read_csv(DIGITS)
    Xg = digits.drop(columns=['target']).to_numpy(dtype=float)
    res = []
    for seed in range(runs):
        t = time.perf_counter()
        c = time.process_time()
        emb = TSNE(n_components=2, perplexity=30, init='pca', learning_rate='auto', n_iter=1000, random_state=seed, method='barnes_hut').fit_transform(Xg)
        dt = time.perf_counter() - t
        dc = time.process_time() - c
        res.append((dt, float(trustworthiness(Xg, emb, n_neighbors=5)), dc))
    out['tsne'] = {'median_s': float(np.median([r[0] for r in res])), 'runs': [round(r[0], 3) for r in res],
                   'cpu': [round(r[2], 3) for r in res], 'trustworthiness_k5': [r[1] for r in res],
                   'settings': "perplexity 30, init 'pca', learning_rate 'auto', 1000 iterations, barnes_hut angle 0.5, one thread"}


TASKS = {'pca': task_pca, 'tsne': task_tsne}

if __name__ == '__main__':
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else (5 if sys.argv[1] == 'pca' else 1)
    with threadpool_limits(1):
        res = {'sklearn': sklearn.__version__}
        TASKS[sys.argv[1]](res, runs)
        print(json.dumps(res))
