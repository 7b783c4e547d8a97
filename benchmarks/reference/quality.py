"""Reference figures for tessera's quality area (profile statistics and drift tests).

Run: /usr/bin/python3 benchmarks/reference/quality.py  (writes benchmarks/reference/quality.json)
Timing: /usr/bin/python3 benchmarks/reference/quality.py --bench  (pandas describe() on 1,000,000 x 5)
"""
import json
import sys
import time
from pathlib import Path

# benchmarks/reference holds other scripts (a file named like a stdlib module) that would shadow the standard library.
sys.path = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

import numpy as np
import pandas as pd
from scipy import stats
from scipy.spatial.distance import jensenshannon

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT.parent / "shared" / "data" / "tabular"
SETS = ["airquality", "penguins", "cars-auto-mpg", "titanic", "mammal-sleep", "wine"]


def clean(v):
    if v is None:
        return None
    if isinstance(v, (np.floating, float)):
        return None if np.isnan(v) else float(v)
    if isinstance(v, (np.integer,)):
        return int(v)
    return v


def profile_ref(df):
    out = {}
    for c in df.columns:
        s = df[c]
        d = {"count": int(s.count()), "missing": int(s.isna().sum()), "distinct": int(s.nunique())}
        if pd.api.types.is_numeric_dtype(s):
            q = s.quantile([0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99])
            d.update(
                mean=clean(s.mean()), std=clean(s.std()), min=clean(s.min()), max=clean(s.max()),
                p1=clean(q[0.01]), p5=clean(q[0.05]), p25=clean(q[0.25]), p50=clean(q[0.5]),
                p75=clean(q[0.75]), p95=clean(q[0.95]), p99=clean(q[0.99]),
            )
            iqr = q[0.75] - q[0.25]
            d["outliers"] = int(((s < q[0.25] - 1.5 * iqr) | (s > q[0.75] + 1.5 * iqr)).sum())
        else:
            vc = s.value_counts()
            d["topCount"] = int(vc.iloc[0]) if len(vc) else 0
        out[c] = d
    num = df.select_dtypes("number")
    corr = {
        "columns": list(num.columns),
        "pearson": [[clean(v) for v in row] for row in num.corr(method="pearson").values],
        "spearman": [[clean(v) for v in row] for row in num.corr(method="spearman").values],
    }
    return {"nrows": len(df), "columns": out, "corr": corr, "duplicates": int(df.duplicated().sum())}


def drift_ref(a, b):
    out = {}
    for c in a.columns:
        x = a[c].dropna()
        y = b[c].dropna()
        if pd.api.types.is_numeric_dtype(a[c]):
            ks = stats.ks_2samp(x, y)
            out[c] = {"ks": float(ks.statistic), "ksP": float(ks.pvalue), "wasserstein": float(stats.wasserstein_distance(x, y))}
        else:
            cats = sorted(set(x) | set(y))
            ca = np.array([(x == k).sum() for k in cats], dtype=float)
            cb = np.array([(y == k).sum() for k in cats], dtype=float)
            keep = (ca + cb) > 0
            chi2, p, dof, _ = stats.chi2_contingency(np.vstack([ca[keep], cb[keep]]), correction=False)
            js = jensenshannon(ca / ca.sum(), cb / cb.sum(), base=2) ** 2
            out[c] = {"chi2": float(chi2), "chi2P": float(p), "dof": int(dof), "js": float(js)}
    return out


def main():
    if "--bench" in sys.argv:
        rng = np.random.default_rng(1)
        df = pd.DataFrame(rng.random((1_000_000, 5)) * 100, columns=list("abcde"))
        times = []
        runs = int(sys.argv[sys.argv.index("--runs") + 1]) if "--runs" in sys.argv else 7
        for _ in range(runs):
            t = time.perf_counter()
            df.describe()
            times.append(time.perf_counter() - t)
        print(json.dumps({"pandasDescribeMedianMs": float(np.median(times) * 1000), "runs": [t * 1000 for t in times]}))
        return
    ref = {"profile": {}, "drift": {}}
    for name in SETS:
        df = pd.read_csv(DATA / name / "data.csv")
        ref["profile"][name] = profile_ref(df)
        even, odd = df.iloc[::2], df.iloc[1::2]
        ref["drift"][f"{name}:halves"] = drift_ref(even, odd)
    pen = pd.read_csv(DATA / "penguins" / "data.csv")
    ref["drift"]["penguins:species"] = drift_ref(
        pen[pen.species == "Adelie"].drop(columns=["species"]), pen[pen.species == "Gentoo"].drop(columns=["species"])
    )
    (Path(__file__).parent / "quality.json").write_text(json.dumps(ref, indent=1, allow_nan=False))
    print("wrote quality.json")


if __name__ == "__main__":
    main()
