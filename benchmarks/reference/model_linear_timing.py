"""Times scikit-learn's LogisticRegression() (lbfgs, defaults) on a matrix written by
benchmarks/linear.bench.ts, so that both are measured at the same time on this (shared, noisy)
machine. Usage: /usr/bin/python3 model_linear_timing.py X.f64 y.f64 n p runs -> JSON on stdout."""
import json
import os
import sys
import time

sys.path = [p for p in sys.path if os.path.abspath(p or ".") != os.path.dirname(os.path.abspath(__file__))]
os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402

xf, yf, n, p, runs = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
X = np.fromfile(xf, dtype="<f8").reshape(n, p)
y = np.fromfile(yf, dtype="<f8").astype(int)
times = []
for _ in range(runs):
    t0 = time.perf_counter()
    m = LogisticRegression().fit(X, y)
    times.append(time.perf_counter() - t0)
print(json.dumps({"runs_s": times, "n_iter": int(m.n_iter_[0]), "coef_head": m.coef_.ravel()[:5].tolist(), "train_accuracy": float((m.predict(X) == y).mean())}))
