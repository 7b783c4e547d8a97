"""Fixture for test/detect/iforest-sklearn.test.ts: scikit-learn IsolationForest trees and scores.

A small table (160 x 3 with ties, a constant-in-places column and planted outliers), fitted with
IsolationForest(n_estimators=4, random_state=seed) for seeds 0 and 7 and max_features 1.0 and 2/3;
each tree as preorder arrays (feature, threshold; -2 = leaf), plus -score_samples of every row.
Also raw draws of NumPy's legacy RandomState and scikit-learn's sample_without_replacement.
Run: /usr/bin/python3 benchmarks/reference/detect_iforest_trees.py
"""
import json
import os

import numpy as np
import sklearn
from sklearn.ensemble import IsolationForest
from sklearn.utils.random import sample_without_replacement

rng = np.random.default_rng(42)
X = rng.standard_normal((160, 3))
X[:, 2] = np.round(X[:, 2], 1)  # many ties
X[40:80, 1] = 1.25  # constant over a block of rows
X[:4] *= 7  # outliers
out = {"sklearn": sklearn.__version__, "X": X.tolist(), "fits": [],
       "randint_2_31": np.random.RandomState(5).randint(2**31 - 1, size=5).tolist(),
       "permutation_10": np.random.RandomState(7).permutation(10).tolist(),
       "swr": {f"{n}_{k}": sample_without_replacement(n, k, random_state=np.random.RandomState(3)).tolist()[:12]
               for n, k in [(1000, 256), (40000, 256), (258, 256)]}}


def preorder(t):
    feats, thrs = [], []

    def walk(i):
        feats.append(int(t.feature[i]))
        thrs.append(float(t.threshold[i]))
        if t.children_left[i] != -1:
            walk(t.children_left[i])
            walk(t.children_right[i])

    walk(0)
    return feats, thrs


for seed in (0, 7):
    for mf in (1.0, 2 / 3):
        f = IsolationForest(n_estimators=4, random_state=seed, max_features=mf).fit(X)
        trees = []
        for e, feats in zip(f.estimators_, f.estimators_features_):
            fe, th = preorder(e.tree_)
            # the tree sees X[:, feats]: map its feature ids back to columns of X
            trees.append({"feature": [int(feats[v]) if v >= 0 else -2 for v in fe], "threshold": th})
        out["fits"].append({"seed": seed, "maxFeatures": mf, "trees": trees, "score": (-f.score_samples(X)).tolist()})
with open(os.path.join(os.path.dirname(__file__), "detect_iforest_trees.json"), "w") as fh:
    json.dump(out, fh)
