"""Reference for tessera's imputers: scikit-learn's SimpleImputer, KNNImputer and IterativeImputer
on the SAME masked tables that benchmarks/impute/harness.ts writes, and timings on the same
10,000 x 10 benchmark table that benchmarks/impute.bench.ts writes.

  /usr/bin/python3 benchmarks/reference/impute.py quality /tmp/tessera-impute-masks.json OUT.json
  /usr/bin/python3 benchmarks/reference/impute.py bench /tmp/tessera-impute-bench.json [ImputerName]
  (with a name: one timed run of that imputer, used by the benchmark to interleave runs)

Categories are one-hot encoded (all dummies missing when the cell is missing) for KNN and
Iterative and decoded by argmax; SimpleImputer uses the mean for numbers and the most frequent
value for categories.
"""
import json
import os
import sys
import time
import warnings

# Other reference scripts live beside this one (a file named like a stdlib module): keep them from shadowing the stdlib.
sys.path = [p for p in sys.path if os.path.abspath(p or ".") != os.path.dirname(os.path.abspath(__file__))]

import numpy as np  # noqa: E402
from sklearn.experimental import enable_iterative_imputer  # noqa: F401, E402
from sklearn.impute import IterativeImputer, KNNImputer, SimpleImputer  # noqa: E402

warnings.filterwarnings("ignore")


def encode(s, holes):
    n = len(s["columns"][s["numeric"][0]])
    blocks, layout = [], []
    for c in s["numeric"]:
        v = np.array(s["columns"][c], dtype=float)
        for i in holes.get(c, []):
            v[i] = np.nan
        blocks.append(v[:, None])
        layout.append((c, "num", None))
    for c in s["categorical"]:
        vals = s["columns"][c]
        levels = sorted(set(vals))
        d = np.zeros((n, len(levels)))
        for i, x in enumerate(vals):
            d[i, levels.index(x)] = 1
        for i in holes.get(c, []):
            d[i, :] = np.nan
        blocks.append(d)
        layout.append((c, "cat", levels))
    return np.hstack(blocks), layout


def decode(M, layout):
    out, o = {}, 0
    for c, kind, levels in layout:
        if kind == "num":
            out[c] = M[:, o]
            o += 1
        else:
            w = len(levels)
            out[c] = [levels[k] for k in np.argmax(M[:, o : o + w], axis=1)]
            o += w
    return out


def score(s, holes, got):
    nr, nc, hit, tot = 0.0, 0, 0, 0
    for c, rows in holes.items():
        t = s["columns"][c]
        if c in s["categorical"]:
            for i in rows:
                tot += 1
                hit += got[c][i] == t[i]
        else:
            tv = np.array(t, dtype=float)
            sd = tv.std()
            g = np.array(got[c], dtype=float)
            rm = np.sqrt(np.mean((g[rows] - tv[rows]) ** 2))
            nr += rm / (sd if sd > 0 else 1)
            nc += 1
    return {"nrmse": nr / nc if nc else None, "accuracy": hit / tot if tot else None}


def simple(s, holes):
    got = {}
    for c in s["numeric"]:
        v = np.array(s["columns"][c], dtype=float)
        for i in holes.get(c, []):
            v[i] = np.nan
        got[c] = SimpleImputer(strategy="mean").fit_transform(v[:, None])[:, 0]
    for c in s["categorical"]:
        v = np.array(s["columns"][c], dtype=object)
        for i in holes.get(c, []):
            v[i] = np.nan
        got[c] = list(SimpleImputer(strategy="most_frequent").fit_transform(v[:, None])[:, 0])
    return got


def quality(path, out):
    data = json.load(open(path))
    res = {}
    for s in data["sets"]:
        rows = []
        for m in s["masks"]:
            holes = {}
            for i, c in m["cells"]:
                holes.setdefault(c, []).append(i)
            X, layout = encode(s, holes)
            r = {"rate": m["rate"], "mechanism": m["mechanism"]}
            r["simple"] = score(s, holes, simple(s, holes))
            r["knn"] = score(s, holes, decode(KNNImputer(n_neighbors=5).fit_transform(X), layout))
            r["iterative"] = score(s, holes, decode(IterativeImputer(max_iter=10, random_state=0).fit_transform(X), layout))
            rows.append(r)
        res[s["name"]] = rows
    json.dump({"sklearn": __import__("sklearn").__version__, "sets": res}, open(out, "w"), indent=1)


def bench(path, only=None):
    d = json.load(open(path))
    X = np.array([np.nan if v is None else v for v in d["holed"]], dtype=float).reshape(d["n"], d["p"])
    out = {}
    for name, make, reps in [
        ("SimpleImputer", lambda: SimpleImputer(), 5),
        ("KNNImputer", lambda: KNNImputer(n_neighbors=5), d.get("knnReps", 3)),
        ("IterativeImputer", lambda: IterativeImputer(max_iter=10, random_state=0), 5),
    ]:
        if only is not None:
            if name != only:
                continue
            reps = 1
            make().fit_transform(X[:50])  # warm-up: lazy imports (pandas) on the first call
        ts, cpu = [], []
        for _ in range(reps):
            c = time.process_time()
            t = time.perf_counter()
            make().fit_transform(X)
            ts.append(time.perf_counter() - t)
            cpu.append(time.process_time() - c)
        out[name] = {"median_s": float(np.median(ts)), "runs": ts, "cpu_s": cpu}
    print(json.dumps(out))


if __name__ == "__main__":
    if sys.argv[1] == "quality":
        quality(sys.argv[2], sys.argv[3])
    else:
        bench(sys.argv[2], sys.argv[3] if len(sys.argv) > 3 else None)
