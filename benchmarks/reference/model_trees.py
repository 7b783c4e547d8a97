"""scikit-learn references for tessera's trees, forests and gradient boosting.

Run: /usr/bin/python3 benchmarks/reference/model_trees.py [--no-timing]
Writes benchmarks/reference/model_trees.json: for each shared tabular set the split indices
(stratified 75/25, random_state=42) and scikit-learn's test metric for DecisionTree,
RandomForest (mean over random_state 0..9, 0..4 for sets above 1,000 rows) and HistGradientBoosting, with the preprocessing
tessera's tests reproduce exactly (see test/model/tree-helpers.ts):
  - forests/trees: numeric NaN -> train median; category columns -> one indicator column per
    category (in first-seen order of the whole file), missing -> all zeros;
  - gradient boosting: numeric NaN kept; category columns native (categorical_features).
Timing (single thread, OMP_NUM_THREADS=1): RandomForestClassifier(n_jobs=1) and
HistGradientBoostingClassifier on the 100,000 x 20 synthetic set of benchmarks/trees.bench.ts.
"""
import json, os, sys, time, math
os.environ.setdefault("OMP_NUM_THREADS", "1")
# other reference scripts live next to this one (a file named like a stdlib module): keep them from shadowing stdlib modules
_here = os.path.dirname(os.path.abspath(__file__))
sys.path = [p for p in sys.path if os.path.abspath(p or ".") != _here]
import numpy as np
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor
from sklearn.ensemble import RandomForestClassifier, RandomForestRegressor, HistGradientBoostingClassifier, HistGradientBoostingRegressor
from sklearn.metrics import roc_auc_score, accuracy_score, mean_squared_error
import sklearn

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "..", "..", "shared", "data", "tabular")

SETS = {
    "telco-churn": dict(target="churn", drop=[], task="clf", metric="auc", positive="Yes"),
    "penguins": dict(target="species", drop=[], task="clf", metric="accuracy"),
    "iris": dict(target="species", drop=["target"], task="clf", metric="accuracy"),
    "wine": dict(target="target", drop=[], task="clf", metric="accuracy"),
    "titanic": dict(target="survived", drop=["passenger"], task="clf", metric="accuracy"),
    "diabetes-progression": dict(target="target", drop=[], task="reg", metric="rmse"),
    "cars-auto-mpg": dict(target="Miles_per_Gallon", drop=["Name"], task="reg", metric="rmse"),
}


def load(name, spec):
    df = pd.read_csv(os.path.join(DATA, name, "data.csv"), keep_default_na=False, na_values=[""])
    df = df.drop(columns=spec["drop"])
    if name == "cars-auto-mpg":
        df = df[df["Miles_per_Gallon"].notna()].reset_index(drop=True)  # rows without a target
        df["Year"] = df["Year"].str.slice(0, 4).astype(float)
    return df


def categorical_columns(df, target):
    return [c for c in df.columns if c != target and df[c].dtype == object]


def forest_matrix(df, target, train_idx):
    cats = categorical_columns(df, target)
    cols = []
    names = []
    for c in df.columns:
        if c == target:
            continue
        if c in cats:
            levels = list(dict.fromkeys(v for v in df[c] if isinstance(v, str)))
            for lv in levels:
                cols.append((df[c] == lv).astype(float).to_numpy())
                names.append(f"{c}={lv}")
        else:
            v = df[c].astype(float).to_numpy().copy()
            med = np.nanmedian(v[train_idx])
            v[np.isnan(v)] = med
            cols.append(v)
            names.append(c)
    return np.column_stack(cols), names


def gbm_matrix(df, target):
    cats = categorical_columns(df, target)
    cols = []
    mask = []
    for c in df.columns:
        if c == target:
            continue
        if c in cats:
            levels = list(dict.fromkeys(v for v in df[c] if isinstance(v, str)))
            idx = {lv: i for i, lv in enumerate(levels)}
            cols.append(np.array([idx[v] if isinstance(v, str) else np.nan for v in df[c]], dtype=float))
            mask.append(True)
        else:
            cols.append(df[c].astype(float).to_numpy())
            mask.append(False)
    return np.column_stack(cols), np.array(mask)


def score(spec, y_true, model, X):
    if spec["metric"] == "auc":
        k = list(model.classes_).index(spec["positive"])
        return float(roc_auc_score(y_true == spec["positive"], model.predict_proba(X)[:, k]))
    if spec["metric"] == "accuracy":
        return float(accuracy_score(y_true, model.predict(X)))
    return float(math.sqrt(mean_squared_error(y_true, model.predict(X))))


def quality():
    out = {}
    for name, spec in SETS.items():
        df = load(name, spec)
        y = df[spec["target"]].to_numpy()
        idx = np.arange(len(df))
        strat = y if spec["task"] == "clf" else None
        tr, te = train_test_split(idx, test_size=0.25, random_state=42, stratify=strat)
        tr = np.sort(tr)
        te = np.sort(te)
        Xf, names = forest_matrix(df, spec["target"], tr)
        Xg, mask = gbm_matrix(df, spec["target"])
        clf = spec["task"] == "clf"
        res = {"task": spec["task"], "metric": spec["metric"], "target": spec["target"], "train": tr.tolist(), "test": te.tolist(), "forestColumns": names}
        DT = DecisionTreeClassifier if clf else DecisionTreeRegressor
        RF = RandomForestClassifier if clf else RandomForestRegressor
        HG = HistGradientBoostingClassifier if clf else HistGradientBoostingRegressor
        res["decisionTree"] = float(np.mean([score(spec, y[te], DT(random_state=s).fit(Xf[tr], y[tr]), Xf[te]) for s in (0, 1, 2)]))
        seeds = range(5) if len(df) > 1000 else range(10)
        res["randomForestSeeds"] = len(seeds)
        res["randomForest"] = float(np.mean([score(spec, y[te], RF(random_state=s, n_jobs=1).fit(Xf[tr], y[tr]), Xf[te]) for s in seeds]))
        cf = mask if mask.any() else None
        res["histGradientBoosting"] = score(spec, y[te], HG(categorical_features=cf, random_state=0).fit(Xg[tr], y[tr]), Xg[te])
        print(name, {k: v for k, v in res.items() if k in ("decisionTree", "randomForest", "histGradientBoosting")}, flush=True)
        out[name] = res
    return out


# The synthetic benchmark set, reproduced bit-for-bit in benchmarks/trees.bench.ts (32-bit LCG).
def synthetic(n, p, seed=1):
    s = seed & 0xFFFFFFFF
    u = np.empty(n * (p + 1) * 2)
    for i in range(u.size):
        s = (1664525 * s + 1013904223) & 0xFFFFFFFF
        u[i] = (s + 0.5) / 4294967296.0
    u = u.reshape(n, p + 1, 2)
    z = np.sqrt(-2 * np.log(u[:, :, 0])) * np.cos(2 * np.pi * u[:, :, 1])
    X = z[:, :p]
    y = (X[:, 0] + 0.5 * X[:, 1] * X[:, 2] - X[:, 3] + 0.5 * np.sin(2 * X[:, 4]) + 0.3 * z[:, p] > 0).astype(int)
    return X, y


def timing(runs=3):
    X, y = synthetic(100_000, 20)
    ntr = 80_000
    res = {}
    for label, make in (
        ("RandomForestClassifier", lambda: RandomForestClassifier(n_estimators=100, n_jobs=1, random_state=0)),
        ("HistGradientBoostingClassifier", lambda: HistGradientBoostingClassifier(max_iter=100, early_stopping=False, random_state=0)),
    ):
        walls, cpus, acc = [], [], None
        for _ in range(runs if label != "RandomForestClassifier" else 1):
            t, c = time.time(), time.process_time()
            m = make().fit(X[:ntr], y[:ntr])
            walls.append(time.time() - t)
            cpus.append(time.process_time() - c)
            acc = float((m.predict(X[ntr:]) == y[ntr:]).mean())
        res[label] = {"wallMedianS": float(np.median(walls)), "cpuMedianS": float(np.median(cpus)), "runs": len(walls), "testAccuracy": acc}
        print(label, res[label], flush=True)
    return res


if __name__ == "__main__":
    path = os.path.join(HERE, "model_trees.json")
    prev = json.load(open(path)) if os.path.exists(path) else {}
    out = {"sklearn": sklearn.__version__, "date": time.strftime("%Y-%m-%d"), "quality": quality()}
    out["timing"] = prev.get("timing") if "--no-timing" in sys.argv else timing()
    out["timingNote"] = "100,000 x 20 synthetic, 80,000 train rows, OMP_NUM_THREADS=1, n_jobs=1; cpu = process_time (the machine is shared, wall times are noisy)"
    json.dump(out, open(path, "w"), indent=1)
