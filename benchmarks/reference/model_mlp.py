"""scikit-learn 1.2 MLPClassifier / MLPRegressor reference for tessera/nn's MLP (src/nn/mlp.ts).

Same architecture and training as tessera's defaults: one hidden layer of 100 ReLU units, Adam
(lr 1e-3, betas 0.9/0.999, eps 1e-8), batches of min(200, n), at most 200 epochs, L2 alpha 1e-4,
stop when the training loss has not improved by tol 1e-4 for 10 epochs, no early stopping on a
validation split. Features standardised with the training rows' mean and population sd (tessera
does this inside the model); for regression the target is standardised the same way and
predictions are mapped back (RMSE in the target's units). Split: 75/25, random_state 0 (stratified
for classification). Five seeds per set (the initial weights and batch order differ between the two
libraries, so the comparison is between the distributions: mean and sd of the test metric).
Also the seconds per epoch (fit time / n_iter_), single-threaded BLAS.

Run: /usr/bin/python3 benchmarks/reference/model_mlp.py > benchmarks/reference/model_mlp.json"""
import json
import os
import sys
import time
import warnings

sys.path = [p for p in sys.path if os.path.abspath(p or ".") != os.path.dirname(os.path.abspath(__file__))]
os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import sklearn  # noqa: E402
from sklearn.exceptions import ConvergenceWarning  # noqa: E402
from sklearn.model_selection import train_test_split  # noqa: E402
from sklearn.neural_network import MLPClassifier, MLPRegressor  # noqa: E402

warnings.simplefilter("ignore", ConvergenceWarning)
DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "shared", "data", "tabular")
SETS = {
    "wine": ("classification", None, "target"),
    "penguins": ("classification", ["bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g"], "species"),
    "cars-auto-mpg": ("regression", ["Cylinders", "Displacement", "Horsepower", "Weight_in_lbs", "Acceleration"], "Miles_per_Gallon"),
    "diabetes-progression": ("regression", None, "target"),
}
SEEDS = [0, 1, 2, 3, 4]
out = {"sklearn": sklearn.__version__, "seeds": SEEDS, "sets": {}}
for name, (task, cols, target) in SETS.items():
    df = pd.read_csv(os.path.join(DATA, name, "data.csv"))
    if cols is None:
        cols = [c for c in df.columns if c != target]
    df = df.dropna(subset=cols + [target]).reset_index(drop=True)
    X = df[cols].to_numpy(float)
    y = df[target].to_numpy()
    idx = np.arange(len(y))
    tr, te = train_test_split(idx, test_size=0.25, random_state=0, stratify=y if task == "classification" else None)
    mu, sd = X[tr].mean(axis=0), X[tr].std(axis=0)
    sd[sd == 0] = 1
    Xtr, Xte = (X[tr] - mu) / sd, (X[te] - mu) / sd
    res = {"task": task, "columns": cols, "target": target, "nrows": int(len(y)), "test_idx": te.tolist(), "runs": []}
    for seed in SEEDS:
        kw = dict(hidden_layer_sizes=(100,), activation="relu", solver="adam", alpha=1e-4, batch_size=min(200, len(tr)), learning_rate_init=1e-3,
                  max_iter=200, tol=1e-4, n_iter_no_change=10, random_state=seed)
        t0 = time.perf_counter()
        if task == "classification":
            m = MLPClassifier(**kw).fit(Xtr, y[tr])
            secs = time.perf_counter() - t0
            metric = float((m.predict(Xte) == y[te]).mean())
        else:
            ym, ys = y[tr].astype(float).mean(), y[tr].astype(float).std()
            m = MLPRegressor(**kw).fit(Xtr, (y[tr] - ym) / ys)
            secs = time.perf_counter() - t0
            pred = m.predict(Xte) * ys + ym
            metric = float(np.sqrt(np.mean((pred - y[te]) ** 2)))
        res["runs"].append({"seed": seed, "metric": metric, "n_iter": int(m.n_iter_), "fit_s": secs, "s_per_epoch": secs / m.n_iter_})
    ms = [r["metric"] for r in res["runs"]]
    res["metric_name"] = "accuracy" if task == "classification" else "rmse"
    res["metric_mean"] = float(np.mean(ms))
    res["metric_sd"] = float(np.std(ms))
    res["s_per_epoch_median"] = float(np.median([r["s_per_epoch"] for r in res["runs"]]))
    res["n_iter_mean"] = float(np.mean([r["n_iter"] for r in res["runs"]]))
    out["sets"][name] = res
print(json.dumps(out, indent=1))
