"""scikit-learn 1.2 RidgeCV (default gcv mode = exact leave-one-out, squared error) on the shared
regression sets, raw units, with tessera's default grid (25 values, 1e-3 .. 1e3): the chosen alpha,
coefficients and intercept, for test/model/linear.node.test.ts.
Run: /usr/bin/python3 benchmarks/reference/model_linear_ridgecv.py > benchmarks/reference/model_linear_ridgecv.json"""
import json
import os
import sys

sys.path = [p for p in sys.path if os.path.abspath(p or ".") != os.path.dirname(os.path.abspath(__file__))]

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import sklearn  # noqa: E402
from sklearn.linear_model import RidgeCV  # noqa: E402

DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "shared", "data", "tabular")
ALPHAS = [10 ** (-3 + i / 4) for i in range(25)]
SETS = {
    "diabetes-progression": (["age", "sex", "bmi", "bp", "s1", "s2", "s3", "s4", "s5", "s6"], "target"),
    "cars-auto-mpg": (["Cylinders", "Displacement", "Horsepower", "Weight_in_lbs", "Acceleration"], "Miles_per_Gallon"),
}
out = {"sklearn": sklearn.__version__, "alphas": ALPHAS, "sets": {}}
for name, (cols, target) in SETS.items():
    df = pd.read_csv(os.path.join(DATA, name, "data.csv")).dropna(subset=cols + [target])
    X = df[cols].to_numpy(float)
    y = df[target].to_numpy(float)
    m = RidgeCV(alphas=ALPHAS).fit(X, y)
    out["sets"][name] = {"columns": cols, "target": target, "nrows": int(len(y)), "alpha": float(m.alpha_), "coef": m.coef_.tolist(), "intercept": float(m.intercept_), "best_score": float(m.best_score_)}
print(json.dumps(out, indent=1))
