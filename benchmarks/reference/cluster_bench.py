"""Reference timings (scikit-learn, one thread) for benchmarks/cluster.bench.ts and reduce.bench.ts.

Run: /usr/bin/python3 benchmarks/reference/cluster_bench.py   (from the project root)
Writes benchmarks/reference/cluster_bench.json: median seconds of several runs per task, plus the
t-SNE trustworthiness (k=5) on digits-8x8. Synthetic inputs are drawn like the TypeScript
benchmarks draw theirs (same shapes and distributions, not the same numbers).
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
from sklearn.cluster import DBSCAN, KMeans
from sklearn.decomposition import PCA
from sklearn.manifold import TSNE, trustworthiness

HERE = os.path.dirname(__file__)
DIGITS = os.path.join(HERE, '..', '..', '..', 'shared', 'data', 'tabular', 'digits-8x8', 'data.csv')


def blobs(rng, n, d, k, std=1.0, box=10.0):
    centers = rng.uniform(-box, box, size=(k, d))
    lab = rng.integers(0, k, size=n)
    return centers[lab] + rng.normal(0, std, size=(n, d))


def median_time(f, runs):
    ts = []
    for _ in range(runs):
        t = time.perf_counter()
        f()
        ts.append(time.perf_counter() - t)
    return float(np.median(ts)), [round(x, 4) for x in ts]


def task_kmeans(out):
    rng = np.random.default_rng(0)
    X = blobs(rng, 100_000, 10, 8)
    m, ts = median_time(lambda: KMeans(n_clusters=8, n_init=1, random_state=0).fit(X), 7)
    out['kmeans_100k_10_k8'] = {'median_s': m, 'runs': ts, 'settings': 'n_init=1 (k-means++), lloyd, tol 1e-4, one thread'}
    # harder data: uniform in [-1, 1]^10 (no cluster structure, many Lloyd iterations)
    U = np.random.default_rng(1).uniform(-1, 1, size=(100_000, 10))
    it = KMeans(n_clusters=8, n_init=1, random_state=0).fit(U).n_iter_
    m, ts = median_time(lambda: KMeans(n_clusters=8, n_init=1, random_state=0).fit(U), 7)
    out['kmeans_100k_10_k8_uniform'] = {'median_s': m, 'runs': ts, 'n_iter': int(it), 'settings': 'uniform [-1, 1]^10, n_init=1 (k-means++), lloyd, max_iter 300, tol 1e-4, one thread'}


def kmeans_on_files(args):
    """`kmeans_files N D SEED RUNS PATH...`: KMeans(k=8, n_init=1, random_state=SEED) on each float64
    row-major N x D file written by benchmarks/cluster.bench.ts (the very same numbers tessera gets);
    per file: wall and CPU seconds of RUNS fits and the iterations."""
    n, d, seed, runs = int(args[0]), int(args[1]), int(args[2]), int(args[3])
    res = {}
    for path in args[4:]:
        X = np.fromfile(path, dtype=np.float64).reshape(n, d)
        ts, cs, it = [], [], 0
        for _ in range(runs):
            t, c = time.perf_counter(), time.process_time()
            it = KMeans(n_clusters=8, n_init=1, random_state=seed, max_iter=300, tol=1e-4, algorithm='lloyd').fit(X).n_iter_
            ts.append(time.perf_counter() - t)
            cs.append(time.process_time() - c)
        res[os.path.basename(path)] = {'runs': ts, 'cpu': cs, 'n_iter': int(it)}
    return res


def task_pca(out):
    rng = np.random.default_rng(1)
    Xp = rng.normal(size=(50_000, 50)) @ rng.normal(size=(50, 50))
    m, ts = median_time(lambda: PCA(n_components=10).fit_transform(Xp), 7)
    out['pca_50k_50_to_10'] = {'median_s': m, 'runs': ts, 'settings': "svd_solver='auto' (randomized here), fit_transform, one thread"}
    m, ts = median_time(lambda: PCA(n_components=10, svd_solver='full').fit_transform(Xp), 5)
    out['pca_50k_50_to_10_full'] = {'median_s': m, 'runs': ts, 'settings': "svd_solver='full', fit_transform, one thread"}


def task_dbscan(out):
    rng = np.random.default_rng(2)
    Xd = blobs(rng, 20_000, 2, 6, std=1.0, box=10.0)
    m, ts = median_time(lambda: DBSCAN(eps=0.3, min_samples=10).fit(Xd), 7)
    out['dbscan_20k_2d'] = {'median_s': m, 'runs': ts, 'settings': 'eps 0.3, min_samples 10, 6 blobs sd 1 in [-10, 10]^2'}


def task_tsne(out, runs=3):
    digits = pd.read_csv(DIGITS)
    Xg = digits.drop(columns=['target']).to_numpy(dtype=float)
    res = []
    for seed in range(runs):
        t = time.perf_counter()
        emb = TSNE(n_components=2, perplexity=30, init='pca', learning_rate='auto', n_iter=1000, random_state=seed, method='barnes_hut').fit_transform(Xg)
        dt = time.perf_counter() - t
        res.append((dt, float(trustworthiness(Xg, emb, n_neighbors=5))))
    out['tsne_digits'] = {'median_s': float(np.median([r[0] for r in res])), 'runs': [round(r[0], 3) for r in res],
                          'trustworthiness_k5': [r[1] for r in res], 'trustworthiness_k5_median': float(np.median([r[1] for r in res])),
                          'settings': "perplexity 30, init 'pca', learning_rate 'auto', 1000 iterations, barnes_hut angle 0.5, one thread"}


TASKS = {'kmeans': task_kmeans, 'pca': task_pca, 'dbscan': task_dbscan, 'tsne': task_tsne, 'tsne1': lambda out: task_tsne(out, runs=1)}

if __name__ == '__main__':
    # `cluster_bench.py TASK` prints that task's figures as JSON (the TypeScript benchmarks call it
    # right before their own runs, so both see the same machine load); no argument runs all and
    # writes cluster_bench.json.
    with threadpool_limits(1):
        if len(sys.argv) > 1 and sys.argv[1] == 'kmeans_files':
            print(json.dumps(kmeans_on_files(sys.argv[2:])))
        elif len(sys.argv) > 1:
            res = {}
            TASKS[sys.argv[1]](res)
            print(json.dumps(res))
        else:
            res = {'sklearn': sklearn.__version__, 'threads': 1, 'tasks': {}}
            for f in TASKS.values():
                f(res['tasks'])
                print(res['tasks'], flush=True)
            with open(os.path.join(HERE, 'cluster_bench.json'), 'w') as f:
                json.dump(res, f, indent=1)
