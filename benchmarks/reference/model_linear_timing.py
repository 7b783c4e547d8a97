"""Times scikit-learn's LogisticRegression() (lbfgs, defaults) on a matrix written by
benchmarks/linear.bench.ts, so that both are measured at the same time on this (shared, noisy)
machine. Binary or multinomial, whatever the labels in y are. Also reports SciPy L-BFGS-B's
iteration and function-evaluation counts on the same problem (an untimed extra run of the exact
call scikit-learn 1.2 makes), to compare with tessera's L-BFGS.
Usage: /usr/bin/python3 model_linear_timing.py X.f64 y.f64 n p runs -> JSON on stdout."""
import json
import os
import sys
import time

sys.path = [p for p in sys.path if os.path.abspath(p or ".") != os.path.dirname(os.path.abspath(__file__))]
os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # noqa: E402
from scipy import optimize  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402

xf, yf, n, p, runs = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
X = np.fromfile(xf, dtype="<f8").reshape(n, p)
y = np.fromfile(yf, dtype="<f8").astype(int)
times = []
for _ in range(runs):
    t0 = time.perf_counter()
    m = LogisticRegression().fit(X, y)
    times.append(time.perf_counter() - t0)
out = {"runs_s": times, "n_iter": int(m.n_iter_[0]), "coef_head": m.coef_.ravel()[:5].tolist(), "train_accuracy": float((m.predict(X) == y).mean())}

if len(sys.argv) > 6 and sys.argv[6] == "counts":
    # the same call as sklearn 1.2.1 _logistic_regression_path (lbfgs), to read nfev
    from sklearn._loss.loss import HalfBinomialLoss, HalfMultinomialLoss
    from sklearn.linear_model._linear_loss import LinearModelLoss

    classes = np.unique(y)
    if len(classes) == 2:
        loss = LinearModelLoss(base_loss=HalfBinomialLoss(), fit_intercept=True)
        target = (y == classes[1]).astype(np.float64)
        w0 = np.zeros(p + 1)
    else:
        loss = LinearModelLoss(base_loss=HalfMultinomialLoss(n_classes=len(classes)), fit_intercept=True)
        target = np.searchsorted(classes, y).astype(np.float64)
        w0 = np.zeros(len(classes) * (p + 1))
    sw = np.ones(n)
    res = optimize.minimize(loss.loss_gradient, w0, method="L-BFGS-B", jac=True, args=(X, target, sw, 1.0, 1), options={"iprint": -1, "gtol": 1e-4, "maxiter": 100})
    out["scipy_nit"] = int(res.nit)
    out["scipy_nfev"] = int(res.nfev)
    out["scipy_fun"] = float(res.fun)
print(json.dumps(out))
