"""Tie-free fixture for exact detector comparisons (run: /usr/bin/python3 benchmarks/reference/detect_fixture.py).

X: 150 x 5 rows (numpy RandomState(0) normal, a correlated pair, 6 shifted rows), stored in the JSON
so that tessera reads the same numbers; sklearn LOF (k=10, novelty), OneClassSVM (nu=0.2,
gamma=0.1) and MinCovDet(random_state=0) outputs on it.
"""
import json, os, sys
sys.path = [q for q in sys.path if os.path.abspath(q or ".") != os.path.abspath(os.path.dirname(__file__))]
import numpy as np
from sklearn.neighbors import LocalOutlierFactor
from sklearn.svm import OneClassSVM
from sklearn.covariance import MinCovDet, EllipticEnvelope

rng = np.random.RandomState(0)
X = rng.randn(150, 5)
X[:, 1] = 0.8 * X[:, 0] + 0.6 * X[:, 1]
X[-6:] += np.array([3.0, -3.0, 2.0, 0.0, 4.0])
lof = LocalOutlierFactor(n_neighbors=10, novelty=True).fit(X)
Q = X[:10] + 0.5
oc = OneClassSVM(nu=0.2, gamma=0.1).fit(X)
mcd = MinCovDet(random_state=0).fit(X)
out = {
    'X': X.tolist(),
    'lof_train': (-lof.negative_outlier_factor_).tolist(),
    'lof_novel_first10': (-lof.score_samples(Q)).tolist(),
    'ocsvm_decision': oc.decision_function(X).tolist(),
    'ocsvm_n_support': int(oc.support_.shape[0]),
    'ocsvm_rho': float(-oc.intercept_[0]),
    'mcd_location': mcd.location_.tolist(),
    'mcd_mahalanobis': mcd.mahalanobis(X).tolist(),
    'ee_score': (-EllipticEnvelope(random_state=0).fit(X).score_samples(X)).tolist(),
}
json.dump(out, open(os.path.join(os.path.dirname(__file__), 'detect_fixture.json'), 'w'))
