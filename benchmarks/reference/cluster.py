"""Quality references for src/cluster and src/reduce, computed once with scikit-learn and committed.

Run: /usr/bin/python3 benchmarks/reference/cluster.py  (from the project root; needs ../shared/data)
Writes benchmarks/reference/cluster.json.

Each data set is read from ../shared/data/tabular/<name>/data.csv, the numeric measurement columns
listed below are kept (rows with a missing value in them dropped), then standardised with
StandardScaler (population sd), exactly as test/cluster/data.ts does in TypeScript.
"""
import json
import os
import sys

# other reference scripts in this folder (a file named like a stdlib module) must not shadow standard modules
sys.path = [p for p in sys.path if os.path.abspath(p or '.') != os.path.abspath(os.path.dirname(__file__))]
import platform

import numpy as np
import pandas as pd
import sklearn
from sklearn.cluster import DBSCAN, AgglomerativeClustering, KMeans
from sklearn.decomposition import PCA
from sklearn.metrics import (adjusted_rand_score, calinski_harabasz_score, davies_bouldin_score,
                             normalized_mutual_info_score, silhouette_score)
from sklearn.preprocessing import StandardScaler

ROOT = os.path.join(os.path.dirname(__file__), '..', '..')
DATA = os.path.join(ROOT, '..', 'shared', 'data', 'tabular')

SETS = {
    'iris': dict(columns=['sepal_length_cm', 'sepal_width_cm', 'petal_length_cm', 'petal_width_cm'], label='species', k=3, eps=0.5, min_samples=5),
    'wine': dict(columns=['alcohol', 'malic_acid', 'ash', 'alcalinity_of_ash', 'magnesium', 'total_phenols', 'flavanoids',
                          'nonflavanoid_phenols', 'proanthocyanins', 'color_intensity', 'hue', 'od280/od315_of_diluted_wines', 'proline'],
                 label='target', k=3, eps=2.3, min_samples=5),
    'penguins': dict(columns=['bill_length_mm', 'bill_depth_mm', 'flipper_length_mm', 'body_mass_g'], label='species', k=3, eps=0.45, min_samples=5),
    'swiss-banknotes': dict(columns=['Length', 'Left', 'Right', 'Bottom', 'Top', 'Diagonal'], label='Status', k=2, eps=1.0, min_samples=5),
    'wholesale-customers': dict(columns=['Fresh', 'Milk', 'Grocery', 'Frozen', 'Detergents_Paper', 'Delicassen'], label='Channel', k=4, eps=0.8, min_samples=5),
}


def load(name, spec):
    df = pd.read_csv(os.path.join(DATA, name, 'data.csv'))
    df = df.dropna(subset=spec['columns']).reset_index(drop=True)
    X = df[spec['columns']].to_numpy(dtype=float)
    return StandardScaler().fit_transform(X), df[spec['label']].astype(str).to_numpy()


out = {'sklearn': sklearn.__version__, 'python': platform.python_version(), 'sets': {}}
for name, spec in SETS.items():
    X, y = load(name, spec)
    k = spec['k']
    r = {'columns': spec['columns'], 'nrows': int(X.shape[0]), 'k': k}
    # KMeans, n_init 10, Lloyd, k-means++ (sklearn defaults otherwise); random_state 0, 0..29 at n_init 10 (median), 200 single runs (n_init 1) for the distribution
    r['kmeans'] = {}
    for kk in sorted({2, k, k + 2}):
        km = KMeans(n_clusters=kk, n_init=10, random_state=0, algorithm='lloyd').fit(X)
        runs = [float(KMeans(n_clusters=kk, n_init=10, random_state=s, algorithm='lloyd').fit(X).inertia_) for s in range(30)]
        r['kmeans'][str(kk)] = {'inertia': float(km.inertia_), 'labels': km.labels_.tolist(), 'inertia_seeds': runs,
                                'inertia_median': float(np.median(runs)),
                                'single_runs': sorted(float(KMeans(n_clusters=kk, n_init=1, random_state=s, algorithm='lloyd').fit(X).inertia_) for s in range(200))}
    labels = np.array(r['kmeans'][str(k)]['labels'])
    r['metrics'] = {
        'silhouette': float(silhouette_score(X, labels)),
        'davies_bouldin': float(davies_bouldin_score(X, labels)),
        'calinski_harabasz': float(calinski_harabasz_score(X, labels)),
        'ari_vs_label': float(adjusted_rand_score(y, labels)),
        'nmi_vs_label': float(normalized_mutual_info_score(y, labels)),
        'label': y.tolist(),
    }
    db = DBSCAN(eps=spec['eps'], min_samples=spec['min_samples']).fit(X)
    r['dbscan'] = {'eps': spec['eps'], 'min_samples': spec['min_samples'], 'labels': db.labels_.tolist(),
                   'core': db.core_sample_indices_.tolist()}
    r['agglomerative'] = {}
    for linkage in ['ward', 'complete', 'average', 'single']:
        ag = AgglomerativeClustering(n_clusters=k, linkage=linkage, compute_distances=True).fit(X)
        r['agglomerative'][linkage] = {'labels': ag.labels_.tolist(), 'children': ag.children_.tolist(),
                                       'distances': ag.distances_.tolist()}
    # distance threshold (ward): halfway between the 5th and 6th largest merge distances
    top = np.sort(r['agglomerative']['ward']['distances'])
    thr = float((top[-5] + top[-6]) / 2)
    ag = AgglomerativeClustering(n_clusters=None, distance_threshold=thr, linkage='ward').fit(X)
    r['agglomerative_threshold'] = {'linkage': 'ward', 'threshold': thr, 'n_clusters': int(ag.n_clusters_), 'labels': ag.labels_.tolist()}
    p = PCA(svd_solver='full').fit(X)
    r['pca'] = {'components': p.components_.tolist(), 'explained_variance': p.explained_variance_.tolist(),
                'explained_variance_ratio': p.explained_variance_ratio_.tolist(), 'mean': p.mean_.tolist(),
                'scores_head': p.transform(X)[:5].tolist()}
    pw = PCA(n_components=2, whiten=True, svd_solver='full').fit(X)
    r['pca_whiten2'] = {'scores_head': pw.transform(X)[:5].tolist()}
    from sklearn.manifold import trustworthiness as _tw
    r['trustworthiness_pca2_k5'] = float(_tw(X, PCA(n_components=2, svd_solver='full').fit_transform(X), n_neighbors=5))
    out['sets'][name] = r
    print(name, X.shape, {kk: v['inertia'] for kk, v in r['kmeans'].items()}, 'dbscan clusters', len(set(db.labels_)) - (1 if -1 in db.labels_ else 0),
          'noise', int((db.labels_ == -1).sum()))

# t-SNE on the first 400 digits (the full 1,797 run is in cluster_bench.py): trustworthiness (k=5)
from sklearn.manifold import TSNE, trustworthiness
digits = pd.read_csv(os.path.join(DATA, 'digits-8x8', 'data.csv'))
Xg = digits.drop(columns=['target']).to_numpy(dtype=float)[:400]
tw = {}
for method in ['barnes_hut', 'exact']:
    vals = []
    for seed in range(3):
        emb = TSNE(n_components=2, perplexity=30, init='pca', learning_rate='auto', n_iter=1000, random_state=seed, method=method).fit_transform(Xg)
        vals.append(float(trustworthiness(Xg, emb, n_neighbors=5)))
    tw[method] = vals
out['tsne_digits400'] = {'rows': 400, 'trustworthiness_k5': tw}
print('tsne digits400', tw)

with open(os.path.join(os.path.dirname(__file__), 'cluster.json'), 'w') as f:
    json.dump(out, f)
