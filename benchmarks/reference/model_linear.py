"""Reference figures for tessera's linear models, neighbours, naive Bayes, metrics, splitters and
AutoModel, computed with Debian's scikit-learn (run: OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1
/usr/bin/python3 benchmarks/reference/model_linear.py). Writes benchmarks/reference/model_linear.json.
"""
import json
import os
import sys
import time

# benchmarks/reference/ holds other scripts (a file named like a stdlib module) that would shadow standard modules
sys.path = [p for p in sys.path if os.path.abspath(p or ".") != os.path.dirname(os.path.abspath(__file__))]

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np
import pandas as pd
import sklearn
from sklearn import metrics as M
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import HistGradientBoostingClassifier, HistGradientBoostingRegressor, RandomForestClassifier, RandomForestRegressor
from sklearn.impute import SimpleImputer
from sklearn.linear_model import BayesianRidge, ElasticNet, Lasso, LinearRegression, LogisticRegression, Ridge
from sklearn.model_selection import KFold, StratifiedKFold, TimeSeriesSplit, train_test_split
from sklearn.naive_bayes import GaussianNB
from sklearn.neighbors import KNeighborsClassifier, KNeighborsRegressor
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "..", "..", "shared", "data", "tabular")


def read(name):
    return pd.read_csv(os.path.join(DATA, name, "data.csv"))


def arr(a):
    return np.asarray(a, dtype=float).tolist()


def standardize(X):
    m = X.mean(axis=0)
    s = X.std(axis=0)
    s[s == 0] = 1
    return (X - m) / s


out = {"sklearn": sklearn.__version__, "numpy": np.__version__}

# ---------------------------------------------------------------- metrics
rng = np.random.RandomState(0)
n = 60
yb = rng.randint(0, 2, n)
sb = np.round(rng.rand(n), 2)  # rounded: ties on purpose
pb = (sb > 0.5).astype(int)
ym = rng.randint(0, 3, n)
pm = rng.randint(0, 3, n)
P = rng.rand(n, 3)
P = P / P.sum(axis=1, keepdims=True)
yr = rng.randn(n) * 3 + 10
pr = yr + rng.randn(n)
out["metrics"] = {
    "yb": yb.tolist(), "sb": sb.tolist(), "pb": pb.tolist(), "ym": ym.tolist(), "pm": pm.tolist(), "P": arr(P.ravel()),
    "yr": arr(yr), "pr": arr(pr),
    "accuracy": M.accuracy_score(ym, pm),
    "balanced_accuracy": M.balanced_accuracy_score(ym, pm),
    "precision_binary": M.precision_score(yb, pb), "recall_binary": M.recall_score(yb, pb), "f1_binary": M.f1_score(yb, pb),
    "precision_macro": M.precision_score(ym, pm, average="macro"), "recall_macro": M.recall_score(ym, pm, average="macro"),
    "f1_macro": M.f1_score(ym, pm, average="macro"), "f1_weighted": M.f1_score(ym, pm, average="weighted"),
    "precision_weighted": M.precision_score(ym, pm, average="weighted"), "f1_micro": M.f1_score(ym, pm, average="micro"),
    "roc_auc_binary": M.roc_auc_score(yb, sb), "average_precision": M.average_precision_score(yb, sb),
    "roc_auc_ovr_macro": M.roc_auc_score(ym, P, multi_class="ovr"), "roc_auc_ovr_weighted": M.roc_auc_score(ym, P, multi_class="ovr", average="weighted"),
    "log_loss_binary": M.log_loss(yb, sb), "log_loss_multi": M.log_loss(ym, P),
    "confusion": M.confusion_matrix(ym, pm).ravel().tolist(),
    "mae": M.mean_absolute_error(yr, pr), "rmse": M.mean_squared_error(yr, pr, squared=False), "r2": M.r2_score(yr, pr),
    "mape": M.mean_absolute_percentage_error(yr, pr),
}

# ---------------------------------------------------------------- splitters
ys = np.array([0] * 7 + [1] * 5 + [2] * 3)
out["splits"] = {
    "kfold_10_3": [t.tolist() for _, t in KFold(3).split(np.zeros(10))],
    "skfold_y": ys.tolist(),
    "skfold_3": [t.tolist() for _, t in StratifiedKFold(3).split(np.zeros(len(ys)), ys)],
    "ts_10_3": [[tr.tolist(), te.tolist()] for tr, te in TimeSeriesSplit(3).split(np.zeros(10))],
    "ts_12_3_gap1_test2": [[tr.tolist(), te.tolist()] for tr, te in TimeSeriesSplit(3, gap=1, test_size=2).split(np.zeros(12))],
}

# ---------------------------------------------------------------- regression (linear)
def reg_set(name):
    if name == "diabetes-progression":
        df = read(name)
        cols = [c for c in df.columns if c != "target"]
        return df, cols, "target"
    df = read("cars-auto-mpg")
    cols = ["Cylinders", "Displacement", "Horsepower", "Weight_in_lbs", "Acceleration"]
    df = df.dropna(subset=cols + ["Miles_per_Gallon"]).reset_index(drop=True)
    return df, cols, "Miles_per_Gallon"


def lin(m):
    return {"coef": arr(np.ravel(m.coef_)), "intercept": float(m.intercept_)}


out["regression"] = {}
for name in ["diabetes-progression", "cars-auto-mpg"]:
    df, cols, target = reg_set(name)
    X = df[cols].to_numpy(float)
    y = df[target].to_numpy(float)
    r = {"columns": cols, "target": target, "nrows": len(y)}
    r["LinearRegression"] = lin(LinearRegression().fit(X, y))
    r["Ridge"] = lin(Ridge().fit(X, y))
    r["Ridge_10"] = lin(Ridge(alpha=10).fit(X, y))
    for key, m in {
        "Lasso": Lasso(), "Lasso_01": Lasso(alpha=0.1), "ElasticNet": ElasticNet(), "ElasticNet_l1_02": ElasticNet(alpha=0.5, l1_ratio=0.2),
        "Lasso_tight": Lasso(alpha=0.1, tol=1e-12, max_iter=1000000),
    }.items():
        m.fit(X, y)
        r[key] = {**lin(m), "n_iter": int(m.n_iter_)}
    br = BayesianRidge().fit(X, y)
    mean, std = br.predict(X[:5], return_std=True)
    r["BayesianRidge"] = {**lin(br), "alpha": float(br.alpha_), "lambda": float(br.lambda_), "n_iter": int(br.n_iter_), "mean5": arr(mean), "std5": arr(std)}
    # standardised X for a well-conditioned logistic-free sanity check of Lasso's path
    out["regression"][name] = r

# ---------------------------------------------------------------- logistic regression
def clf_set(name):
    if name == "iris":
        df = read("iris")
        return df, ["sepal_length_cm", "sepal_width_cm", "petal_length_cm", "petal_width_cm"], "species"
    if name == "wine":
        df = read("wine")
        return df, [c for c in df.columns if c != "target"], "target"
    if name == "penguins":
        df = read("penguins")
        cols = ["bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g"]
        return df.dropna(subset=cols).reset_index(drop=True), cols, "species"
    df = read("telco-churn")
    cols = ["female", "senior_citizen", "partner", "dependents", "tenure", "phone_service", "paperless_billing", "monthly_charges", "total_charges"]
    return df.dropna(subset=cols).reset_index(drop=True), cols, "churn"


out["logistic"] = {}
for name in ["iris", "wine", "penguins", "telco-churn"]:
    df, cols, target = clf_set(name)
    X = standardize(df[cols].to_numpy(float))
    y = df[target].to_numpy()
    r = {"columns": cols, "target": target, "nrows": len(y), "classes": [str(c) if not isinstance(c, (int, np.integer)) else int(c) for c in np.unique(y)]}
    for key, kw in {"tight": {}, "C01": {"C": 0.1}, "balanced": {"class_weight": "balanced"}}.items():
        m = LogisticRegression(solver="newton-cg", tol=1e-12, max_iter=100000, **kw).fit(X, y)
        r[key] = {"coef": arr(m.coef_.ravel()), "intercept": arr(m.intercept_), "proba5": arr(m.predict_proba(X[:5]).ravel())}
    m = LogisticRegression().fit(X, y)
    r["default"] = {"coef": arr(m.coef_.ravel()), "intercept": arr(m.intercept_), "n_iter": int(m.n_iter_[0])}
    # neighbours and naive Bayes on a stratified split of the same standardised matrix
    tr, te = train_test_split(np.arange(len(y)), test_size=0.25, random_state=0, stratify=y)
    r["test_idx"] = te.tolist()
    for key, est in {"knn": KNeighborsClassifier(), "knn_distance": KNeighborsClassifier(weights="distance"), "knn_1": KNeighborsClassifier(1), "gnb": GaussianNB()}.items():
        est.fit(X[tr], y[tr])
        r[key] = {"proba": arr(est.predict_proba(X[te]).ravel()), "accuracy": M.accuracy_score(y[te], est.predict(X[te]))}
    gnb = GaussianNB().fit(X[tr], y[tr])
    r["gnb"]["theta"] = arr(gnb.theta_.ravel())
    r["gnb"]["var"] = arr(gnb.var_.ravel())
    out["logistic"][name] = r

# KNN regressor on diabetes (standardised)
df, cols, target = reg_set("diabetes-progression")
X = standardize(df[cols].to_numpy(float))
y = df[target].to_numpy(float)
tr, te = train_test_split(np.arange(len(y)), test_size=0.25, random_state=0)
out["knn_regression"] = {"test_idx": te.tolist()}
for key, est in {"uniform": KNeighborsRegressor(), "distance": KNeighborsRegressor(weights="distance")}.items():
    est.fit(X[tr], y[tr])
    out["knn_regression"][key] = arr(est.predict(X[te]))

# ---------------------------------------------------------------- AutoModel baseline: best default sklearn model per set
def auto_set(name):
    df = read(name)
    if name == "titanic":
        return df.drop(columns=["passenger"]), "survived"
    if name == "cars-auto-mpg":
        df = df.dropna(subset=["Miles_per_Gallon"]).drop(columns=["Name"]).reset_index(drop=True)
        df["Year"] = df["Year"].str.slice(0, 4).astype(int)
        return df, "Miles_per_Gallon"
    if name == "iris":
        return df.drop(columns=["target"]), "species"
    if name == "penguins":
        return df, "species"
    if name == "wine":
        return df, "target"
    if name == "telco-churn":
        return df, "churn"
    return df, "target"


out["auto"] = {}
for name, task in [("iris", "c"), ("wine", "c"), ("penguins", "c"), ("telco-churn", "c"), ("titanic", "c"), ("diabetes-progression", "r"), ("cars-auto-mpg", "r")]:
    df, target = auto_set(name)
    y = df[target].to_numpy()
    Xdf = df.drop(columns=[target])
    cat = [c for c in Xdf.columns if Xdf[c].dtype == object]
    num = [c for c in Xdf.columns if c not in cat]
    idx = np.arange(len(y))
    tr, te = train_test_split(idx, test_size=0.25, random_state=0, stratify=y if task == "c" else None)
    pre = ColumnTransformer([
        ("num", Pipeline([("imp", SimpleImputer(strategy="median")), ("sc", StandardScaler())]), num),
        ("cat", Pipeline([("imp", SimpleImputer(strategy="most_frequent")), ("oh", OneHotEncoder(handle_unknown="ignore"))]), cat),
    ])
    if task == "c":
        models = {"LogisticRegression": LogisticRegression(), "KNeighborsClassifier": KNeighborsClassifier(), "GaussianNB": GaussianNB(),
                  "RandomForestClassifier": RandomForestClassifier(random_state=0), "HistGradientBoostingClassifier": HistGradientBoostingClassifier(random_state=0)}
    else:
        models = {"LinearRegression": LinearRegression(), "Ridge": Ridge(), "KNeighborsRegressor": KNeighborsRegressor(),
                  "RandomForestRegressor": RandomForestRegressor(random_state=0), "HistGradientBoostingRegressor": HistGradientBoostingRegressor(random_state=0)}
    res = {"target": target, "test_idx": te.tolist(), "task": "classification" if task == "c" else "regression", "models": {}}
    for mname, est in models.items():
        pipe = Pipeline([("pre", pre), ("m", est)]).fit(Xdf.iloc[tr], y[tr])
        if task == "c":
            pred = pipe.predict(Xdf.iloc[te])
            s = {"accuracy": M.accuracy_score(y[te], pred)}
            if len(np.unique(y)) == 2:
                s["roc_auc"] = M.roc_auc_score(y[te], pipe.predict_proba(Xdf.iloc[te])[:, 1])
        else:
            pred = pipe.predict(Xdf.iloc[te])
            s = {"rmse": M.mean_squared_error(y[te], pred, squared=False), "r2": M.r2_score(y[te], pred)}
        res["models"][mname] = s
    out["auto"][name] = res

# ---------------------------------------------------------------- timing: logistic regression, 100,000 x 50
def lcg_matrix(n, p, seed=12345):
    """The same deterministic data as benchmarks/linear.bench.ts (MINSTD generator)."""
    s = seed
    X = np.empty(n * p)
    for i in range(n * p):
        s = (s * 48271) % 2147483647
        X[i] = s / 2147483647 - 0.5
    X = X.reshape(n, p)
    beta = np.array([((j % 7) - 3) / 3 for j in range(p)])
    z = X @ beta * 4
    noise = np.empty(n)
    for i in range(n):
        s = (s * 48271) % 2147483647
        noise[i] = s / 2147483647 - 0.5
    y = (z + 2 * noise > 0).astype(int)
    return X, y


if "--no-timing" not in sys.argv:
    X, y = lcg_matrix(100_000, 50)
    times = []
    for _ in range(5):
        t0 = time.perf_counter()
        m = LogisticRegression().fit(X, y)
        times.append(time.perf_counter() - t0)
    out["timing"] = {"logistic_100k_50": {"median_s": float(np.median(times)), "runs_s": times, "n_iter": int(m.n_iter_[0]),
                                          "coef_head": arr(m.coef_.ravel()[:5]), "train_accuracy": M.accuracy_score(y, m.predict(X)),
                                          "threads": "OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1"}}

with open(os.path.join(HERE, "model_linear.json"), "w") as f:
    json.dump(out, f, indent=1)
print("wrote model_linear.json")
