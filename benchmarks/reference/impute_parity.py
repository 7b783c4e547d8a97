"""Exact-parity reference for tessera's IterativeImputer (BayesianRidge) and KNNImputer:
scikit-learn's output on small numeric tables, committed as impute_parity.json and compared by
test/transform/impute-parity.test.ts.

  /usr/bin/python3 benchmarks/reference/impute_parity.py > benchmarks/reference/impute_parity.json

Tables (seeded numpy): "tall" 80 x 4 correlated columns, 20% MCAR (every fit has more rows than
predictors: tessera's Gram route); "wide" 12 x 6, 45% MCAR (some columns have fewer observed rows
than predictors: the SVD route). IterativeImputer with defaults (BayesianRidge, max_iter 10, mean
initial fill, ascending order, tol 1e-3; tessera with clip: false, roundIntegers: false);
KNNImputer with defaults (k 5, uniform) and weights="distance" (tessera with scale: false).
"""
import json
import os
import sys
import warnings

sys.path = [p for p in sys.path if os.path.abspath(p or ".") != os.path.dirname(os.path.abspath(__file__))]

import numpy as np  # noqa: E402
import sklearn  # noqa: E402
from sklearn.experimental import enable_iterative_imputer  # noqa: F401, E402
from sklearn.impute import IterativeImputer, KNNImputer  # noqa: E402

warnings.filterwarnings("ignore")


def table(n, p, frac, seed):
    rng = np.random.default_rng(seed)
    z = rng.normal(size=(n, 2))
    load = rng.normal(size=(2, p))
    full = z @ load + 0.4 * rng.normal(size=(n, p)) + np.arange(p) * 3.0
    holed = full.copy()
    holed[rng.random((n, p)) < frac] = np.nan
    for j in range(p):  # keep at least two observed cells per column
        obs = np.flatnonzero(~np.isnan(holed[:, j]))
        if len(obs) < 2:
            holed[:2, j] = full[:2, j]
    return holed


def enc(a):
    return [[None if np.isnan(v) else float(v) for v in row] for row in a]


out = {"sklearn": sklearn.__version__, "tables": {}}
for name, (n, p, frac, seed) in {"tall": (80, 4, 0.2, 1), "wide": (12, 6, 0.45, 2)}.items():
    X = table(n, p, frac, seed)
    it = IterativeImputer(random_state=0)
    xi = it.fit_transform(X)
    out["tables"][name] = {
        "n": n,
        "p": p,
        "holed": enc(X),
        "iterative": enc(xi),
        "iterative_n_iter": int(it.n_iter_),
        "knn_uniform": enc(KNNImputer().fit_transform(X)),
        "knn_distance": enc(KNNImputer(weights="distance").fit_transform(X)),
    }
json.dump(out, sys.stdout)
